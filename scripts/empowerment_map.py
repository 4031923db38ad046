"""Learned vs exact empowerment of every cell of a gridworld, as JSON and heat maps.

  python scripts/empowerment_map.py --layout=open_5x5 --n_steps=1 --slip=0.1 \
      --estimator=mine_jsd --source=learned --train_steps=6000 --output_dir=runs/map

Trains the estimator (with its learned forward model) on transitions of the layout and writes
DIR/empowerment.json ("row,col": {"estimate", "exact", "windows": training windows from the
cell} in nats, plus "mean_abs_error", "max_abs_error" and "doorways": the estimate's mean at the
layout's one-cell passages and the fraction of cells below them) and DIR/empowerment.png
(estimate, exact, difference). Training windows start in every cell alike or, with
--coverage=near_start, mostly near the start as an agent's replay does; the table of error by
windows per cell then says whether the estimate carries over to cells it has little data of.
--features=view has it read each cell's position and walls (observations/grid_view.py) instead
of a one-hot state. "exact" is the Blahut-Arimoto capacity for --source=learned and the
uniform-source I(A; S') for --source=uniform.
"""
import json
import os
import sys

from absl import app
from absl import flags
import numpy as np

from tf_empowerment.benchmarks import gridworld_estimates
from tf_empowerment.envs import gridworld
from tf_empowerment.observations import grid_view
from tf_empowerment.train import config
from tf_empowerment.train import heat_maps

flags.DEFINE_string("layout", "open_5x5", "Layout file, or the name of a bundled layout.")
flags.DEFINE_integer("n_steps", 1, "Length n of the action sequences (n-step empowerment).")
flags.DEFINE_float("slip", 0.0, "Probability that another action than the chosen one runs.")
flags.DEFINE_enum("estimator", "mine_jsd", gridworld_estimates.ESTIMATORS, "The estimator.")
flags.DEFINE_enum("source", "learned", gridworld_estimates.SOURCES,
                  "Source w(a|s): uniform, or learned (empowerment itself).")
flags.DEFINE_integer("train_steps", 6000, "Training steps of a learned estimator.")
flags.DEFINE_integer("batch_size", 256, "Transitions per training step.")
flags.DEFINE_enum("coverage", "uniform", gridworld_estimates.COVERAGES,
                  "Where training windows start: every cell alike, or in proportion to "
                  "exp(-moves from the start / --coverage_scale).")
flags.DEFINE_float("coverage_scale", 4.0, "Moves over which --coverage=near_start thins by e.")
flags.DEFINE_enum("features", "one_hot", ("one_hot", "view"),
                  "What the estimator reads: the one-hot state, or GridViewFeatures (position "
                  "and the walls within --view_radius).")
flags.DEFINE_integer("view_radius", None, "GridViewFeatures.radius (default: --n_steps).")
flags.DEFINE_integer("seed", 0, "Seed of the networks and the transitions.")
flags.DEFINE_integer("log_every", 1000, "Print the error every this many steps (0: never).")
flags.DEFINE_multi_string("gin_bindings", [], "Gin bindings for the estimator, e.g. "
                          "'MineEmpowerment.critic_learning_rate = 3e-4'.")
flags.DEFINE_string("output_dir", None, "Where empowerment.json and empowerment.png go.")
flags.mark_flag_as_required("output_dir")
FLAGS = flags.FLAGS


def grid(layout, values):
  """values [num_states] -> float [rows, cols] with NaN on walls."""
  cells = np.full(layout.shape, np.nan)
  for index, (row, col) in enumerate(layout.free_cells):
    cells[row, col] = values[index]
  return cells


def print_grids(layout, estimate, truth):
  for title, values in (("exact", truth), ("estimate", estimate), ("error", estimate - truth)):
    print(f"{title} (nats):")
    for row in grid(layout, values):
      print("  " + " ".join("   #  " if np.isnan(v) else f"{v:6.3f}" for v in row))


def main(argv):
  del argv
  try:
    layout = gridworld.GridLayout.load(FLAGS.layout)
    if FLAGS.n_steps < 1 or FLAGS.train_steps < 1 or FLAGS.batch_size < 1:
      raise ValueError("--n_steps, --train_steps and --batch_size must be >= 1")
    if not 0.0 <= FLAGS.slip <= 1.0:
      raise ValueError(f"--slip must be in [0, 1], got {FLAGS.slip}")
    config.parse_gin([], FLAGS.gin_bindings)
    config.configure_threads()
    start_probabilities = (None if FLAGS.coverage == "uniform" else
                           gridworld_estimates.start_distribution(layout, FLAGS.coverage,
                                                                  FLAGS.coverage_scale))
    features = (None if FLAGS.features == "one_hot" else grid_view.GridViewFeatures(
        len(gridworld.ACTIONS), layout,
        FLAGS.n_steps if FLAGS.view_radius is None else FLAGS.view_radius))
  except (config.ConfigError, ValueError, OSError) as error:
    sys.exit(f"error: {config.one_line(error)}")
  estimate, truth, windows = gridworld_estimates.empowerment_map(
      layout, FLAGS.estimator, FLAGS.n_steps, FLAGS.slip, FLAGS.source, FLAGS.train_steps,
      FLAGS.seed, FLAGS.batch_size, FLAGS.log_every, start_probabilities, features)
  errors = np.abs(estimate - truth)
  result = {f"{row},{col}": {"estimate": float(estimate[i]), "exact": float(truth[i]),
                             "windows": int(windows[i])}
            for i, (row, col) in enumerate(layout.free_cells)}
  result.update(mean_abs_error=float(errors.mean()), max_abs_error=float(errors.max()),
                doorways=gridworld_estimates.doorway_rank(layout, estimate))
  os.makedirs(FLAGS.output_dir, exist_ok=True)
  with open(os.path.join(FLAGS.output_dir, "empowerment.json"), "w") as json_file:
    json.dump(result, json_file, indent=1)
  title = (f"{FLAGS.estimator}, {FLAGS.source} source: {FLAGS.n_steps}-step empowerment, "
           f"slip {FLAGS.slip}, {FLAGS.layout}")
  with open(os.path.join(FLAGS.output_dir, "empowerment.png"), "wb") as png_file:
    png_file.write(heat_maps.gridworld_map_png(layout, estimate, truth, title))
  print_grids(layout, estimate, truth)
  print(f"{FLAGS.estimator}, {FLAGS.source} source, {FLAGS.n_steps}-step, slip {FLAGS.slip}: "
        f"mean |error| {errors.mean():.4f} nats, max {errors.max():.4f} nats")
  if FLAGS.estimator != "exact":
    print(gridworld_estimates.by_visits_table(windows, estimate, truth, "training windows"))
  if result["doorways"]:
    print(f"doorways ({len(layout.doorways)}): estimate {result['doorways']['estimate']:.3f} "
          f"nats on average, above {result['doorways']['percentile']:.0%} of the cells")


if __name__ == "__main__":
  app.run(main)
