"""Heat maps of learned empowerment, written to TensorBoard and as PNG under root_dir/maps.

Gridworld: the estimate for every free cell beside the exact (Blahut-Arimoto) value and their
difference. Montezuma's Revenge: the agent's positions (from RAM) coloured by the estimated
empowerment of the state, one panel per room.
"""
import io
import os

import matplotlib
matplotlib.use("Agg")
from matplotlib import pyplot  # pylint: disable=g-import-not-at-top
import numpy as np
import tensorflow as tf

from tf_empowerment.empowerment import exact
from tf_empowerment.envs import gridworld
from tf_empowerment.envs import montezuma


def _figure_png(figure):
  buffer = io.BytesIO()
  figure.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
  pyplot.close(figure)
  return buffer.getvalue()


def _finish_panel(figure, axis, image, title, fontsize=None):
  """A map panel's title, no ticks, and the colour bar of `image`."""
  axis.set_title(title, fontsize=fontsize)
  axis.set_xticks([])
  axis.set_yticks([])
  figure.colorbar(image, ax=axis, fraction=0.046)


def gridworld_map_png(layout, estimate, exact_values, title=None):
  """Three panels (estimate, exact, estimate - exact) over the free cells, `title` above them;
  values [num_states] in nats, also written in the cells of grids up to 100 cells."""
  grids = []
  for values in (estimate, exact_values, np.asarray(estimate) - exact_values):
    grid = np.full(layout.shape, np.nan)
    for state, value in enumerate(values):
      grid[layout.cell(state)] = value
    grids.append(grid)
  figure, axes = pyplot.subplots(1, 3, figsize=(12, 4))
  top = max(np.nanmax(grids[0]), np.nanmax(grids[1]))
  for axis, grid, name in zip(axes, grids, ("learned (nats)", "exact (nats)", "difference")):
    spread = max(np.nanmax(np.abs(grid)), 1e-3)  # an all-zero difference still has a scale
    limits = dict(vmin=-spread, vmax=spread, cmap="coolwarm") if name == "difference" \
        else dict(vmin=0.0, vmax=top, cmap="viridis")
    image = axis.imshow(grid, **limits)
    if grid.size <= 100:
      for (row, col), value in np.ndenumerate(grid):
        if not np.isnan(value):
          axis.text(col, row, f"{value:.2f}", ha="center", va="center", fontsize=7)
    _finish_panel(figure, axis, image, name)
  if title:
    figure.suptitle(title)
  return _figure_png(figure)


def room_positions_png(rooms, xs, ys, values, room_frames=None):
  """One scatter panel per room: positions (x, y from RAM) coloured by empowerment (nats),
  drawn over the room's RGB frame where `room_frames` {room: frame} has one."""
  room_frames = room_frames or {}
  room_ids = sorted(set(rooms.tolist()))
  columns = min(len(room_ids), 4)
  rows = -(-len(room_ids) // columns)
  figure, axes = pyplot.subplots(rows, columns, figsize=(4 * columns, 3.5 * rows), squeeze=False)
  for axis in axes.flat[len(room_ids):]:
    axis.axis("off")
  for axis, room in zip(axes.flat, room_ids):
    here = rooms == room
    if room in room_frames:
      axis.imshow(room_frames[room])
      x, y = montezuma.screen_position(xs[here], ys[here])
    else:
      x, y = xs[here], ys[here]
      axis.invert_yaxis()  # RAM y grows downwards on screen.
    points = axis.scatter(x, y, c=values[here], s=6, cmap="viridis",
                          vmin=values.min(), vmax=values.max())
    axis.set_title(f"room {room}")
    figure.colorbar(points, ax=axis, fraction=0.046)
  return _figure_png(figure)


def room_frame_png(frame, panels, title=None):
  """The room's RGB frame [H, W, 3] once per panel, each with its (name, screen columns,
  screen rows, values in nats) drawn over it as coloured squares, on one colour scale per panel."""
  figure, axes = pyplot.subplots(1, len(panels), figsize=(4.5 * len(panels), 5), squeeze=False)
  for axis, (name, columns, rows, values) in zip(axes[0], panels):
    axis.imshow(frame)
    points = axis.scatter(columns, rows, c=values, s=40, marker="s", cmap="viridis",
                          alpha=0.85, edgecolors="none")
    _finish_panel(figure, axis, points, name, fontsize=9)
  if title:
    figure.suptitle(title)
  return _figure_png(figure)


class GridworldMap:
  """Learned empowerment of every cell of a gridworld beside its exact value."""

  def __init__(self, env, empowerment_fn):
    self._states = np.stack([env.observation_of(state) for state in range(env.layout.num_states)])
    self._layout = env.layout
    self._empowerment_fn = empowerment_fn
    self._exact = exact.gridworld_empowerment(env.layout, slip=env.slip)

  def record(self, time_step, info):
    del time_step, info  # The gridworld map needs no collected data.

  def png(self):
    estimate = np.asarray(self._empowerment_fn(self._states))
    return gridworld_map_png(self._layout, estimate, self._exact)


class RoomPositionMap:
  """The latest `capacity` collected (room, x, y) with the empowerment of their state, drawn
  over the frames of `room_frames` {room: RGB frame} where given."""

  def __init__(self, empowerment_fn, capacity=20_000, room_frames=None):
    self._empowerment_fn = empowerment_fn
    self._room_frames = room_frames
    self._records = np.zeros([capacity, 4], np.float32)
    self._count = 0

  def record(self, time_step, info):
    """Adds each environment's current (room, x, y) and the empowerment of its observation."""
    if "room" not in info:
      return
    values = np.asarray(self._empowerment_fn(time_step.observation))
    rows = np.stack([info["room"], info["x"], info["y"], values], axis=1)
    positions = (self._count + np.arange(len(rows))) % len(self._records)
    self._records[positions] = rows
    self._count += len(rows)

  def png(self):
    if self._count == 0:
      return None
    records = self._records[:min(self._count, len(self._records))]
    return room_positions_png(records[:, 0].astype(int), records[:, 1], records[:, 2],
                              records[:, 3], self._room_frames)


def make_empowerment_map(eval_py_env, of_observations, of_collected):
  """A GridworldMap for a gridworld (judged on the unbatched `eval_py_env`), else a
  RoomPositionMap, which draws only environments that report rooms in their info (Montezuma's
  first room over its frame).

  `of_observations` maps the environment's own observations to empowerment (nats) and
  `of_collected` the collect driver's (embeddings, when the run embeds at collection).
  """
  if isinstance(eval_py_env.gym_env, gridworld.GridworldEnv):
    return GridworldMap(eval_py_env.gym_env, of_observations)
  envs = getattr(eval_py_env.gym_env, "envs", ())
  if envs and isinstance(envs[0], montezuma.MontezumaInfo):
    return RoomPositionMap(of_collected, room_frames={
        montezuma.FIRST_ROOM: montezuma.first_room_frame()})
  return RoomPositionMap(of_collected)


def write_map(png, step, writer, root_dir):
  """Writes the PNG as a TensorBoard image and as root_dir/maps/empowerment_<step>.png."""
  directory = os.path.join(root_dir, "maps")
  os.makedirs(directory, exist_ok=True)
  with open(os.path.join(directory, f"empowerment_{step:09d}.png"), "wb") as png_file:
    png_file.write(png)
  with writer.as_default(step=step):
    tf.summary.image("empowerment/map", tf.image.decode_png(png)[None])
