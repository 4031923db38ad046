"""The Gaussian staircase of Poole et al. (2019, Sec. 5 / Fig. 2) for every MI bound.

  python scripts/mi_benchmark.py --output_dir=runs/mi_benchmark

A separable critic per bound trains on fresh correlated-Gaussian batches while the true MI
climbs `--levels` (nats). Each level's estimate is the mean over its last quarter of steps;
"jsd" trains with the Jensen-Shannon objective and is read through DV (its optimum is the log
density ratio). Prints estimate vs truth per level and writes DIR/mi_benchmark.{png,json}.
"""
import json
import math
import os
import sys

from absl import app
from absl import flags
import matplotlib
matplotlib.use("Agg")
from matplotlib import pyplot  # pylint: disable=g-import-not-at-top
import numpy as np
import tensorflow as tf

from tf_empowerment.benchmarks import correlated_gaussians
from tf_empowerment.benchmarks import critics
from tf_empowerment.estimators import mutual_information as mi

BOUNDS = mi.OBJECTIVES + ("infonce",)

flags.DEFINE_integer("dimension", 20, "Dimension of x and y.")
flags.DEFINE_list("levels", ["0", "2", "4", "6", "8", "10"],
                  "True MI of each stair, nats (0: independent data).")
flags.DEFINE_integer("steps_per_level", 4000, "Training steps on each stair.")
flags.DEFINE_integer("batch_size", 64, "Samples per batch (InfoNCE is capped at its log).")
flags.DEFINE_list("bounds", list(BOUNDS), f"Bounds to run, from {BOUNDS}.")
flags.DEFINE_float("learning_rate", 5e-4, "Adam learning rate of every critic.")
flags.DEFINE_float("moving_average_decay", 0.01, "Decay of DV's running E_Q[e^T] (MINE).")
flags.DEFINE_integer("seed", 0, "Seed of the critics and the data.")
flags.DEFINE_string("output_dir", "runs/mi_benchmark", "Where the plot and numbers go.")
FLAGS = flags.FLAGS


def make_train_step(bound, critic, optimizer, decay):
  """A tf.function (x, y) -> the bound's MI estimate (nats), with one critic update."""
  objective = None if bound == "infonce" else mi.TrainingObjective(bound, decay)

  @tf.function
  def train_step(x, y):
    with tf.GradientTape() as tape:
      scores = critic(x, y)
      if objective is None:
        value = estimate = mi.info_nce(scores)
      else:
        t_joint, t_marginal = mi.joint_and_marginal(scores)
        value = objective(t_joint, t_marginal)
        estimate = objective.estimate(t_joint, t_marginal)
      loss = -value
    gradients = tape.gradient(loss, critic.trainable_variables)
    optimizer.apply_gradients(zip(gradients, critic.trainable_variables))
    return estimate

  return train_step


def run_bound(bound, levels):
  """Estimates [num_levels * steps_per_level] of one bound along the staircase."""
  tf.random.set_seed(FLAGS.seed)
  train_step = make_train_step(bound, critics.SeparableCritic(),
                               tf.keras.optimizers.Adam(FLAGS.learning_rate),
                               FLAGS.moving_average_decay)
  estimates = []
  for level_index, level in enumerate(levels):
    for step in range(FLAGS.steps_per_level):
      x, y = correlated_gaussians.sample(FLAGS.batch_size, FLAGS.dimension, level,
                                         seed=[FLAGS.seed, level_index * 10**7 + step])
      estimates.append(float(train_step(x, y)))
  return np.array(estimates)


def level_means(estimates, num_levels):
  """Mean estimate over the last quarter of each level's steps, [num_levels]."""
  per_level = estimates.reshape(num_levels, -1)
  return per_level[:, -max(1, per_level.shape[1] // 4):].mean(axis=1)


def plot(path, levels, traces):
  truth = np.repeat(levels, FLAGS.steps_per_level)
  figure, axes = pyplot.subplots(1, len(traces), figsize=(4 * len(traces), 3.2), sharey=True)
  pyplot.setp(axes, ylim=(-1.0, levels.max() + 2.0))  # NWJ's rare huge negatives go off-plot
  window = max(1, FLAGS.steps_per_level // 20)
  for axis, (bound, estimates) in zip(np.atleast_1d(axes), traces.items()):
    smoothed = np.convolve(estimates, np.ones(window) / window, mode="valid")
    axis.plot(estimates, alpha=0.25, lw=0.5)
    axis.plot(np.arange(window - 1, len(estimates)), smoothed, lw=1.2)
    axis.plot(truth, "k", lw=1, label="true MI")
    if bound == "infonce":
      axis.axhline(math.log(FLAGS.batch_size), color="gray", ls="--", lw=1, label="log(batch)")
    axis.set_title("jsd (read by DV)" if bound == "jsd" else bound)
    axis.set_xlabel("step")
    axis.legend(loc="upper left", fontsize=7)
  np.atleast_1d(axes)[0].set_ylabel("MI estimate (nats)")
  figure.tight_layout()
  figure.savefig(path, dpi=120)


def main(argv):
  del argv
  try:
    levels = np.array([float(level) for level in FLAGS.levels])
  except ValueError:
    sys.exit(f"error: --levels must be numbers, got {FLAGS.levels}")
  unknown = sorted(set(FLAGS.bounds) - set(BOUNDS))
  if unknown or np.any(levels < 0) or min(FLAGS.dimension, FLAGS.steps_per_level) < 1 \
      or FLAGS.batch_size < 2:
    sys.exit(f"error: need --bounds from {BOUNDS} (unknown: {unknown}), --levels >= 0, "
             "--dimension and --steps_per_level >= 1 and --batch_size >= 2")
  traces = {bound: run_bound(bound, levels) for bound in FLAGS.bounds}
  means = {bound: level_means(estimates, len(levels)) for bound, estimates in traces.items()}
  print(f"Gaussian staircase: dimension {FLAGS.dimension}, batch {FLAGS.batch_size}, "
        f"{FLAGS.steps_per_level} steps per level; log(batch) = {math.log(FLAGS.batch_size):.3f}")
  print("| true MI | " + " | ".join(FLAGS.bounds) + " |")
  print("|---:|" + "---:|" * len(FLAGS.bounds))
  for index, level in enumerate(levels):
    cells = [f"{means[bound][index]:.3f}" for bound in FLAGS.bounds]
    print(f"| {level:g} | " + " | ".join(cells) + " |")
  os.makedirs(FLAGS.output_dir, exist_ok=True)
  plot(os.path.join(FLAGS.output_dir, "mi_benchmark.png"), levels, traces)
  with open(os.path.join(FLAGS.output_dir, "mi_benchmark.json"), "w") as json_file:
    json.dump({"levels": levels.tolist(),
               "estimates": {bound: values.tolist() for bound, values in means.items()}},
              json_file, indent=1)


if __name__ == "__main__":
  app.run(main)
