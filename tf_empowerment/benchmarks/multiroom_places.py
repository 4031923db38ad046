"""Exact n-step empowerment of MultiRoom's places: door cells, the cells beside a door and the
rest of the rooms' floor, averaged over the agent's 4 directions and over layouts.

Why a stationary empowerment reward does or does not lead through MultiRoom's doors: with doors
closed, as each episode draws them, and open, as the agent leaves them once it has passed.
"""
import collections

import numpy as np

from tf_empowerment.envs import minigrid
from tf_empowerment.envs import minigrid_reach

PLACES = ("door cell", "beside a door", "room floor")


def _places(grid_env, doors):
  """{(x, y): place} of every floor cell inside the rooms and every door."""
  places = {door: PLACES[0] for door in doors}
  for room in grid_env.rooms:
    (left, top), (width, height) = room.top, room.size
    for x in range(left + 1, left + width - 1):
      for y in range(top + 1, top + height - 1):
        if grid_env.grid.get(x, y) is None:  # not the goal
          beside = any(abs(x - i) + abs(y - j) == 1 for i, j in doors)
          places[(x, y)] = PLACES[1] if beside else PLACES[2]
  return places


def empowerment_by_place(env_id, seeds, n_steps, doors_open):
  """{place: [mean over directions of E_n (nats)] per cell} over the layouts of `seeds`."""
  env = minigrid.MiniGridEnv(env_id)
  values = collections.defaultdict(list)
  for seed in seeds:
    env.reset(seed=seed)
    grid_env = env.unwrapped
    doors = [(x, y) for x in range(grid_env.width) for y in range(grid_env.height)
             if (cell := grid_env.grid.get(x, y)) is not None and cell.type == "door"]
    for door in doors:
      grid_env.grid.get(*door).is_open = doors_open
    for cell, place in _places(grid_env, doors).items():
      if place == PLACES[0] and not doors_open:
        continue  # a closed door cannot be stood on
      directions = []
      for direction in range(4):
        grid_env.agent_pos, grid_env.agent_dir = cell, direction
        directions.append(minigrid_reach.empowerment(env, n_steps))
      values[place].append(float(np.mean(directions)))
  return dict(values)


def places_table(rows):
  """A markdown table of (doors, n_steps, {place: values}) rows: each place's cells and mean,
  min and max E_n in nats."""
  lines = ["| doors | n | place | cells | mean E_n | min | max |",
           "| --- | ---: | --- | ---: | ---: | ---: | ---: |"]
  for doors, n_steps, values in rows:
    for place in PLACES:
      if place in values:
        cells = np.asarray(values[place])
        lines.append(f"| {doors} | {n_steps} | {place} | {cells.size} | {cells.mean():.3f} | "
                     f"{cells.min():.3f} | {cells.max():.3f} |")
  return "\n".join(lines)
