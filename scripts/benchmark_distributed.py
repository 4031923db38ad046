"""Agent steps/s of one gin file in process against launch_local with N actors, and Reverb's
cost per transition.

  python scripts/benchmark_distributed.py --gin_file=gin/gridworld_dqn.gin --actors=0,1,2 \
      --output_dir=runs/benchmark_distributed

Each configuration is a whole run (scripts/train.py for 0 actors, scripts/launch_local.py
otherwise) under OUTPUT_DIR/<actors>; its speed is the median of the agent steps/s its train/
summaries report after learning starts (the learner's for distributed runs). Prints a markdown
table, then the learning curves: each run's greedy evaluation return (eval/, written in process
by the Runner and distributed by the eval job) at each multiple of Runner.eval_interval (the
distributed eval job's first evaluation at or past it). --reverb_items=N also writes N transitions of random 100-step episodes (incompressible:
an upper bound on real frames) to a replay job in another process and measures, per
transition, the bytes the server stores (the distinct chunks and the items of its table
checkpoint, over the windows held),
the insert cost (the actor's writer inside a compiled loop, flushed every 100 steps) and the
sample cost (the learner's batches); --actors= runs that measurement alone:

  python scripts/benchmark_distributed.py --gin_file=gin/montezuma_dqn_pixels.gin --actors= \
      --reverb_items=2000 --output_dir=/tmp/benchmark_reverb
"""
import os
import subprocess
import sys
import tempfile
import time

from tf_empowerment.train import quiet_logs

quiet_logs.silence_library_noise()

# pylint: disable=g-import-not-at-top,wrong-import-position
from absl import app
from absl import flags
import numpy as np
import portpicker
from reverb.cc import schema_pb2
import tensorflow as tf
from tf_agents.specs import tensor_spec
from tf_agents.trajectories import time_step as ts

import tf_empowerment.configurables  # pylint: disable=unused-import
from tf_empowerment.benchmarks import event_files
from tf_empowerment.distributed import connection
from tf_empowerment.distributed import replay_items
from tf_empowerment.distributed import replay_sampler
from tf_empowerment.distributed import replay_server
from tf_empowerment.distributed import replay_writer
from tf_empowerment.distributed import settings as settings_lib
from tf_empowerment.train import config
from tf_empowerment.train import learner
# pylint: enable=g-import-not-at-top,wrong-import-position

flags.DEFINE_string("gin_file", "gin/gridworld_dqn.gin", "The run's gin file.")
flags.DEFINE_multi_string("gin_bindings", [], "Gin bindings for every run.")
flags.DEFINE_list("actors", ["0", "1", "2"], "Actor counts; 0 is the in-process trainer.")
flags.DEFINE_integer("reverb_items", 0, "Transitions to insert for the per-item costs (0: skip).")
flags.DEFINE_string("output_dir", None, "Where the runs write.")
flags.mark_flags_as_required(["output_dir"])
FLAGS = flags.FLAGS
_EPISODE = 100  # Steps per episode of the --reverb_items stream, one compiled call each.
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _run(num_actors, root_dir):
  """Runs one configuration; its wall-clock seconds."""
  script = "train.py" if num_actors == 0 else "launch_local.py"
  command = [sys.executable, os.path.join(REPO, "scripts", script), f"--root_dir={root_dir}",
             f"--gin_file={FLAGS.gin_file}"] + [f"--gin_bindings={b}" for b in FLAGS.gin_bindings]
  if num_actors:
    command.append(f"--num_actors={num_actors}")
  started = time.monotonic()
  with open(os.path.join(FLAGS.output_dir, f"{num_actors}.log"), "w") as log_file:
    subprocess.run(command, stdout=log_file, stderr=subprocess.STDOUT, check=True, cwd=REPO)
  return time.monotonic() - started


def _speed(root_dir, learning_starts):
  """The median agent steps/s reported after learning starts."""
  steps, values = event_files.read_scalars(os.path.join(root_dir, "train"))[
      "speed/agent_steps_per_second"]
  return float(np.median(values[steps > 2 * learning_starts]))


def _evaluations(root_dir, interval, num_agent_steps):
  """The run's evaluation return at each multiple of `interval` up to `num_agent_steps`: the
  first evaluation at or past it and before the next multiple (None if there was none)."""
  steps, returns = event_files.read_scalars(os.path.join(root_dir, "eval"))["AverageReturn"]
  curve = []
  for multiple in range(interval, num_agent_steps + 1, interval):
    inside = (steps >= multiple) & (steps < multiple + interval)
    curve.append(float(returns[inside][0]) if inside.any() else None)
  return curve


def _print_curves(curves, interval):
  """A markdown table: agent step by row, run by column."""
  print("\n| agent step | " + " | ".join(curves) + " |\n| ---: |" + " ---: |" * len(curves))
  for row, values in enumerate(zip(*curves.values())):
    cells = ["-" if value is None else f"{value:.2f}" for value in values]
    print(f"| {(row + 1) * interval} | " + " | ".join(cells) + " |")


def _episode(spec, stack_size, num_steps, seed):
  """One environment's episode of `num_steps` random steps, Trajectory [num_steps, 1, ...]:
  a FIRST step, then MID ones; random values, which Reverb's chunk compression cannot shrink.
  With `stack_size`, observations are stacks of random frames as ALE gives them (zeros before
  the FIRST step's frame, each stack its predecessor's shifted by one new frame)."""
  steps = tf.nest.map_structure(
      lambda x: x.numpy(), tensor_spec.sample_spec_nest(spec, seed, outer_dims=(num_steps, 1)))
  step_type = np.full((num_steps, 1), ts.StepType.MID, np.int32)
  step_type[0] = ts.StepType.FIRST
  steps = steps._replace(step_type=step_type,
                         next_step_type=np.full_like(step_type, ts.StepType.MID))
  if stack_size:
    frames = steps.observation[..., -1]
    frames = np.concatenate([np.zeros_like(frames[:stack_size - 1]), frames])
    steps = steps._replace(observation=np.stack(
        [frames[k:k + num_steps] for k in range(stack_size)], axis=-1))
  return steps


def _stored_bytes(checkpoint):
  """The bytes of the distinct chunks (as Reverb holds them: compressed) and of the items of a
  Reverb checkpoint; its chunks file repeats some chunks that several items share."""
  def records(name):
    return (record.numpy() for record in tf.data.TFRecordDataset(
        os.path.join(checkpoint, name), compression_type="ZLIB"))
  chunks = {schema_pb2.ChunkData.FromString(record).chunk_key: len(record)
            for record in records("chunks.tfrecord")}
  return sum(chunks.values()) + sum(len(record) for record in records("items.tfrecord"))


def _reverb_costs(settings, num_items):
  """(bytes per transition, insert us, sample us) against a replay job in another process;
  the bytes are those the server stores (_stored_bytes of its checkpoint) per window held."""
  port = portpicker.pick_unused_port()
  # A new root: the replay job would restore the tables of an earlier measurement.
  root_dir = tempfile.mkdtemp(prefix="reverb_items_", dir=FLAGS.output_dir)
  # No insert waits for samples, no sample for learning_starts; --allow_remote: this process
  # is on the machine's network (launch_local's private one is for whole runs).
  bindings = FLAGS.gin_bindings + ["replay_tables.tolerance = 100000000",
                                   "ReplayLearner.learning_starts = 1"]
  server = subprocess.Popen(
      [sys.executable, os.path.join(REPO, "scripts", "distributed.py"), "--job=replay",
       "--allow_remote", f"--root_dir={root_dir}",
       f"--replay_address=localhost:{port}", f"--gin_file={FLAGS.gin_file}"]
      + [f"--gin_bindings={binding}" for binding in bindings],
      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
  try:
    py_env, parts, collect_policy = settings_lib.build(settings, tf.Variable(0, dtype=tf.int64))
    py_env.close()
    items = replay_items.of_run(settings, collect_policy.trajectory_spec,
                                learner.window_length(parts.agent, parts.intrinsic_reward))
    server_connection = connection.Connection(f"localhost:{port}", give_up_after=120.0)
    server_connection.table_info(replay_server.REPLAY_TABLE)  # Serving before the clock starts.
    writer = replay_writer.ReplayWriter(server_connection, 1, items)
    episode = tf.nest.map_structure(tf.constant, _episode(
        items.trajectory_spec, settings.frame_stack_size, _EPISODE, seed=0))

    @tf.function
    def collect():  # The writer as the actor's compiled driver calls it, one episode.
      for t in tf.range(_EPISODE):
        writer(tf.nest.map_structure(lambda x: x[t], episode))  # pylint: disable=cell-var-from-loop

    collect()
    start = time.perf_counter()
    for _ in range(num_items // _EPISODE):
      collect()
      writer.flush()
    writer.close()
    insert = (time.perf_counter() - start) / (num_items // _EPISODE * _EPISODE)
    stored = (_stored_bytes(server_connection.client.checkpoint())
              / server_connection.table_info(replay_server.REPLAY_TABLE).current_size)
    sampler = replay_sampler.ReplaySampler(server_connection, items, settings.batch_size,
                                           timeout=60.0)
    sample = tf.function(lambda: sampler.get_next(settings.batch_size, items.sequence_length))
    sample()
    batches = max(num_items // settings.batch_size, 10)
    start = time.perf_counter()
    for _ in range(batches):
      sample()
    sampled = (time.perf_counter() - start) / (batches * settings.batch_size)
    return stored, insert * 1e6, sampled * 1e6
  finally:
    server.terminate()
    server.wait()


def main(argv):
  del argv
  os.makedirs(FLAGS.output_dir, exist_ok=True)
  config.parse_gin([FLAGS.gin_file], FLAGS.gin_bindings)
  settings = settings_lib.RunSettings.from_gin()
  print("| run | wall s | agent steps/s | updates/s |\n| --- | ---: | ---: | ---: |")
  curves = {}
  for num_actors in (int(actors) for actors in FLAGS.actors):
    root_dir = os.path.join(FLAGS.output_dir, str(num_actors))
    wall = _run(num_actors, root_dir)
    speed = _speed(root_dir, settings.learning_starts)
    name = "in process" if num_actors == 0 else f"{num_actors} actor(s) + learner"
    print(f"| {name} | {wall:.0f} | {speed:.0f} | {speed / settings.agent_steps_per_update:.0f} |",
          flush=True)
    curves[name] = _evaluations(root_dir, settings.eval_interval, settings.num_agent_steps)
  if curves:
    _print_curves(curves, settings.eval_interval)
  if FLAGS.reverb_items:
    stored, insert, sample = _reverb_costs(settings, FLAGS.reverb_items)
    print(f"\nReverb: {stored:.0f} B stored per transition; insert {insert:.0f} us per "
          f"transition (actor side), sample {sample:.0f} us per window (batches of "
          f"{settings.batch_size})")


if __name__ == "__main__":
  app.run(main)
