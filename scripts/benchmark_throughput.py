"""Throughput of the training pipelines on real Montezuma's Revenge, measured side by side.

  python scripts/benchmark_throughput.py --duration=120 --num_envs=4 --q_network=embedding

Pipelines: (a) the environment alone with a random policy, (b) plain DQN, (c) MINE-style
empowerment DQN, (d) variational empowerment DQN — (b)-(d) at two update ratios: the paper's
(every network updated once per agent step, batch 32) and DQN's usual (once per 4 agent
steps, batch 32). All are built in one process and timed in interleaved rounds, so the ratios
(c)/(b) and (d)/(b) are measured under the same load. Prints a table with agent steps/s,
frames/s, the cost relative to plain DQN (its steps/s over theirs), where the time goes (ms of
collection per agent step, ms per update of every network on one batch), replay bytes per
transition and the process's peak resident memory.
"""
import json
import os
import resource
import tempfile
import time

from absl import app
from absl import flags
import gin
import numpy as np
import tensorflow as tf

import tf_empowerment.configurables  # pylint: disable=unused-import
from tf_empowerment.envs import suite
from tf_empowerment.train import config
from tf_empowerment.train import runner as runner_lib

flags.DEFINE_float("duration", 120.0, "Seconds of measurement per pipeline, over all rounds.")
flags.DEFINE_integer("rounds", 4, "Interleaved measurement rounds.")
flags.DEFINE_integer("num_envs", 4, "Environments stepped together.")
flags.DEFINE_enum("q_network", "embedding", ["embedding", "pixels"],
                  "embedding: the paper's MLP on 64-d frozen-encoder embeddings; "
                  "pixels: the Nature-DQN convnet on frame stacks.")
flags.DEFINE_list("pipelines", ["env", "dqn", "mine", "variational"], "Pipelines to measure.")
flags.DEFINE_list("threads", None, "TensorFlow's intra-op,inter-op thread pool sizes, e.g. 1,2 "
                  "(default: those of config.configure_threads).")
flags.DEFINE_string("output", None, "Optional path for the results as JSON.")
flags.register_validator("threads", lambda sizes: sizes is None or (
    len(sizes) == 2 and all(size.isdigit() for size in sizes)),
                         message="--threads must be INTRA,INTER (two non-negative integers)")
FLAGS = flags.FLAGS

GIN_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "gin")
ENV_ID = "ALE/MontezumaRevenge-v5"
RATIOS = {"paper (1 update/step)": 1, "dqn (1 update/4 steps)": 4}
GIN_FILES = {
    "embedding": {"dqn": "montezuma_mine.gin", "mine": "montezuma_mine.gin",
                  "variational": "montezuma_variational.gin"},
    "pixels": {"dqn": "montezuma_dqn_pixels.gin", "mine": "montezuma_mine_pixels.gin",
               "variational": "montezuma_mine_pixels.gin"},
}
NEVER = 10**12


def _bindings(pipeline, q_network, steps_per_update, num_envs):
  bindings = [
      f"Runner.num_envs = {num_envs}", f"Runner.agent_steps_per_update = {steps_per_update}",
      "ReplayLearner.batch_size = 32", "ReplayLearner.learning_starts = 1000",
      "create_replay_buffer.capacity = 50000", "ObservationPipeline.warmup_steps = 1000",
      f"Runner.num_agent_steps = {NEVER}", f"Runner.eval_interval = {NEVER}",
      f"Runner.checkpoint_interval = {NEVER}", f"Runner.log_interval = {NEVER}",
  ]
  if pipeline == "dqn" and q_network == "embedding":
    bindings.append("Runner.intrinsic_reward = None")
  if pipeline == "variational" and q_network == "pixels":
    bindings += ["EmpowermentReward.estimator = @VariationalEmpowerment",
                 "PlanningNetwork.hidden_units = (64, 64)"]
  return bindings


class _RunnerPipeline:
  """A Runner, warmed up past learning_starts and its first traces, timed per iteration."""

  def __init__(self, pipeline, q_network, steps_per_update, num_envs):
    self.steps_per_update = steps_per_update
    gin.clear_config()
    config.parse_gin([os.path.join(GIN_DIR, GIN_FILES[q_network][pipeline])],
                     _bindings(pipeline, q_network, steps_per_update, num_envs))
    self._runner = runner_lib.Runner(root_dir=tempfile.mkdtemp(prefix="throughput_"))
    self._runner.start()
    while self._runner.agent_step < 1000 + 20 * max(num_envs, steps_per_update):
      self._runner.train_iteration()
    replay = self._runner.replay
    capacity = int(replay.capacity)
    self.replay_bytes = sum(
        variable.shape.num_elements() * variable.dtype.size for variable in replay.variables()
    ) / capacity

  def run_for(self, seconds):
    """Trains for about `seconds`; returns (agent steps, elapsed, collecting, updating seconds)."""
    start_step, start = self._runner.agent_step, time.perf_counter()
    collecting = updating = 0.0
    while time.perf_counter() - start < seconds:
      tick = time.perf_counter()
      self._runner.collect()
      tock = time.perf_counter()
      self._runner.learner.run()
      collecting, updating = collecting + tock - tick, updating + time.perf_counter() - tock
    return self._runner.agent_step - start_step, time.perf_counter() - start, collecting, updating


class _EnvironmentPipeline:
  """The batched environment stepped with uniformly random actions, nothing else."""

  replay_bytes = 0.0
  steps_per_update = None

  def __init__(self, num_envs):
    gin.clear_config()
    self._env = suite.load_environment(ENV_ID, num_envs=num_envs)
    self._env.reset()
    spec = self._env.action_spec()
    self._actions = np.random.default_rng(0).integers(
        spec.minimum, spec.maximum + 1, size=(4096, num_envs)).astype(spec.dtype)

  def run_for(self, seconds):
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
      self._env.step(self._actions[steps % len(self._actions)])
      steps += 1
    elapsed = time.perf_counter() - start
    return steps * self._env.batch_size, elapsed, elapsed, 0.0


def _build(pipelines, q_network, num_envs):
  built = {}
  for pipeline in pipelines:
    if pipeline == "env":
      built[("env", "-")] = _EnvironmentPipeline(num_envs)
      continue
    for ratio_name, steps_per_update in RATIOS.items():
      print(f"building {pipeline} at {ratio_name} ...", flush=True)
      built[(pipeline, ratio_name)] = _RunnerPipeline(
          pipeline, q_network, steps_per_update, num_envs)
  return built


def _measure(built, duration, rounds):
  """Per pipeline: agent steps/s, ms collecting per agent step, ms per update of every network."""
  totals = {key: np.zeros(4) for key in built}
  for _ in range(rounds):
    for key, pipeline in built.items():
      totals[key] += pipeline.run_for(duration / rounds)
  speeds = {}
  for key, (steps, seconds, collecting, updating) in totals.items():
    steps_per_update = built[key].steps_per_update
    speeds[key] = (steps / seconds, 1000 * collecting / steps,
                   1000 * updating * steps_per_update / steps if steps_per_update else None)
  return speeds


def _table(built, speeds, frames_per_step):
  """Markdown table and JSON rows; cost vs plain DQN is DQN's steps/s over the pipeline's."""
  lines = ["| pipeline | update ratio | agent steps/s | frames/s | cost vs plain DQN | "
           "collect ms/step | update ms/update | replay B/transition |",
           "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
  rows = []
  for (pipeline, ratio), (speed, collect_ms, update_ms) in speeds.items():
    baseline = speeds.get(("dqn", ratio))
    cost = f"{baseline[0] / speed:.2f}x" if baseline and pipeline != "env" else "-"
    replay_bytes = built[(pipeline, ratio)].replay_bytes
    rows.append(dict(pipeline=pipeline, ratio=ratio, agent_steps_per_second=round(speed, 1),
                     frames_per_second=round(speed * frames_per_step, 1), cost_vs_dqn=cost,
                     collect_ms_per_step=round(collect_ms, 3),
                     update_ms=None if update_ms is None else round(update_ms, 3),
                     replay_bytes=round(replay_bytes)))
    update = "-" if update_ms is None else f"{update_ms:.2f}"
    lines.append(f"| {pipeline} | {ratio} | {speed:.0f} | {speed * frames_per_step:.0f} | "
                 f"{cost} | {collect_ms:.2f} | {update} | {replay_bytes:.0f} |")
  return "\n".join(lines), rows


def main(argv):
  del argv
  config.configure_threads(*(int(size) for size in FLAGS.threads or ()))
  built = _build(FLAGS.pipelines, FLAGS.q_network, FLAGS.num_envs)
  speeds = _measure(built, FLAGS.duration, FLAGS.rounds)
  table, rows = _table(built, speeds, frames_per_step=4)
  peak_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
  threads = tf.config.threading
  print(f"\nMontezuma's Revenge, {FLAGS.num_envs} environments, Q-network on "
        f"{FLAGS.q_network}, {FLAGS.duration:.0f} s per pipeline in {FLAGS.rounds} rounds, "
        f"threads intra/inter {threads.get_intra_op_parallelism_threads()}/"
        f"{threads.get_inter_op_parallelism_threads()}")
  print(table)
  print(f"peak resident memory of the process (all pipelines): {peak_gib:.2f} GiB")
  if FLAGS.output:
    with open(FLAGS.output, "w") as output:
      json.dump(dict(rows=rows, peak_resident_gib=peak_gib, flags=dict(
          num_envs=FLAGS.num_envs, q_network=FLAGS.q_network, duration=FLAGS.duration)),
                output, indent=2)


if __name__ == "__main__":
  app.run(main)
