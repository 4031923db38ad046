"""Is learned empowerment informative on Montezuma's Revenge? Its spread, per state representation.

  python scripts/montezuma_empowerment_map.py --output_dir=runs/montezuma_map \
      --variant='random64:' \
      --variant='random512:RandomEncoder.embedding_size = 512' \
      --variant='inverse512:RandomEncoder.embedding_size = 512;EmpowermentReward.features = @InverseDynamicsFeatures'

Each variant is NAME:BINDINGS (';'-separated gin bindings read after --gin_file, default the
agent's gin/montezuma_mine.gin). For each, uniformly random actions are collected in
--num_envs environments (the same seed, so the same game, for every variant), embedded by the
configuration's ObservationPipeline, and train its EmpowermentReward as the learner would. Then
every collected state's estimate is summarised (montezuma_estimates.spread: std, quantiles,
the share of its variance explained by the agent's position against the shuffled share) and
drawn over the first room's frame. Writes OUTPUT_DIR/results.json, results.md and map.png.
"""
import json
import os
import sys

from absl import app
from absl import flags
import gin
import numpy as np
import tensorflow as tf
from tf_agents.specs import tensor_spec

from tf_empowerment import configurables  # pylint: disable=unused-import
from tf_empowerment.benchmarks import montezuma_estimates
from tf_empowerment.envs import montezuma
from tf_empowerment.envs import suite
from tf_empowerment.observations import pipeline
from tf_empowerment.rewards import empowerment_reward
from tf_empowerment.train import config
from tf_empowerment.train import heat_maps

flags.DEFINE_string("gin_file", "gin/montezuma_mine.gin", "The agent's configuration.")
flags.DEFINE_multi_string("variant", ["random64:"], "NAME:BINDINGS, bindings ';'-separated.")
flags.DEFINE_integer("num_envs", 8, "Environments collecting at once.")
flags.DEFINE_integer("num_steps", 4_000, "Collection steps of every environment.")
flags.DEFINE_integer("train_steps", 5_000, "Training steps of the reward's estimator.")
flags.DEFINE_integer("batch_size", 64, "Windows per training step.")
flags.DEFINE_integer("seed", 0, "Seed of the environments, the actions and the networks.")
flags.DEFINE_integer("log_every", 1_000, "Print the training metrics every this many steps.")
flags.DEFINE_string("output_dir", None, "Where results and the map go.")
flags.mark_flag_as_required("output_dir")
FLAGS = flags.FLAGS


def parse_variant(text):
  """(name, [bindings]) from NAME:BINDINGS."""
  name, separator, bindings = text.partition(":")
  if not name or not separator:
    raise ValueError(f"--variant must be NAME:BINDINGS, got {text!r}")
  return name, [binding.strip() for binding in bindings.split(";") if binding.strip()]


def measure(bindings):
  """(spread summary, estimates [N], positions [N, 3]) of one variant's configuration."""
  gin.clear_config()
  config.parse_gin([FLAGS.gin_file], bindings)
  tf.random.set_seed(FLAGS.seed)
  env_id = gin.query_parameter("Runner.env_id")
  py_env = suite.load_environment(env_id, num_envs=FLAGS.num_envs, seed=FLAGS.seed)
  observations = pipeline.ObservationPipeline(tensor_spec.from_spec(py_env.observation_spec()))
  observations.warm_up(py_env, FLAGS.seed)
  collection = montezuma_estimates.Collection(py_env, observations, FLAGS.num_steps, FLAGS.seed)
  py_env.close()
  reward = empowerment_reward.EmpowermentReward(
      state_spec=observations.state_spec,
      action_spec=tensor_spec.from_spec(py_env.action_spec()), num_envs=FLAGS.num_envs)
  reward.create_variables()
  montezuma_estimates.train(reward, collection, FLAGS.train_steps, FLAGS.batch_size,
                            FLAGS.seed, FLAGS.log_every)
  values, positions = montezuma_estimates.estimates(reward, collection)
  return montezuma_estimates.spread(values, positions, FLAGS.seed), values, positions


def table(results):
  lines = ["| variant | states | mean | std | p5 | p50 | p95 | max | position share "
           "(shuffled) |", "| --- " * 9 + "|"]
  for name, summary in results.items():
    lines.append(
        f"| {name} | {summary['states']:,} | " + " | ".join(
            f"{summary[key]:.4f}" for key in ("mean", "std", "p5", "p50", "p95", "max"))
        + f" | {summary['position_share']:.3f} ({summary['position_share_shuffled']:.3f}) |")
  return "\n".join(lines)


def main(argv):
  del argv
  try:
    variants = [parse_variant(text) for text in FLAGS.variant]
    if min(FLAGS.num_envs, FLAGS.num_steps, FLAGS.train_steps, FLAGS.batch_size) < 1:
      raise ValueError("--num_envs, --num_steps, --train_steps and --batch_size must be >= 1")
    config.configure_threads()
  except ValueError as error:
    sys.exit(f"error: {config.one_line(error)}")
  results, panels = {}, []
  for name, bindings in variants:
    print(f"variant {name}: {bindings}", flush=True)
    try:
      summary, values, positions = measure(bindings)
    except (config.ConfigError, ValueError) as error:
      sys.exit(f"error: variant {name}: {config.one_line(error)}")
    results[name] = dict(summary, bindings=bindings)
    panels.append((f"{name}: std {summary['std']:.3f} nats",)
                  + montezuma_estimates.cell_means(values, positions, montezuma.FIRST_ROOM))
    print(table({name: summary}), flush=True)
  frame = montezuma.first_room_frame()
  os.makedirs(FLAGS.output_dir, exist_ok=True)
  with open(os.path.join(FLAGS.output_dir, "results.json"), "w") as json_file:
    json.dump(dict(results, flags={key: FLAGS[key].value for key in (
        "gin_file", "num_envs", "num_steps", "train_steps", "batch_size", "seed")}),
              json_file, indent=1)
  with open(os.path.join(FLAGS.output_dir, "results.md"), "w") as markdown:
    markdown.write(table({name: results[name] for name, _ in variants}) + "\n")
  with open(os.path.join(FLAGS.output_dir, "map.png"), "wb") as png_file:
    png_file.write(heat_maps.room_frame_png(
        frame, panels, title="learned empowerment (nats), mean per position cell, first room"))
  print(table(results))


if __name__ == "__main__":
  app.run(main)
