"""Agent steps/s of one gin file in process against launch_local with N actors, and Reverb's
cost per transition.

  python scripts/benchmark_distributed.py --gin_file=gin/gridworld_dqn.gin --actors=0,1,2 \
      --output_dir=runs/benchmark_distributed

Each configuration is a whole run (scripts/train.py for 0 actors, scripts/launch_local.py
otherwise) under OUTPUT_DIR/<actors>; its speed is the median of the agent steps/s its train/
summaries report after learning starts (the learner's for distributed runs). --reverb_items
also measures the insert cost (the actor's writer inside a compiled loop, flushed every 100
steps) and the sample cost (the learner's batches) per transition against a replay job in
another process. Prints a
markdown table.
"""
import os
import subprocess
import sys
import time

from tf_empowerment.train import quiet_logs

quiet_logs.silence_library_noise()

# pylint: disable=g-import-not-at-top,wrong-import-position
from absl import app
from absl import flags
import numpy as np
import portpicker
import tensorflow as tf

import tf_empowerment.configurables  # pylint: disable=unused-import
from tf_empowerment.benchmarks import event_files
from tf_empowerment.distributed import connection
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


def _reverb_costs(settings, num_items):
  """(bytes per step, insert us, sample us) per transition against a replay job process."""
  port = portpicker.pick_unused_port()
  # No insert waits for samples, no sample for learning_starts; --allow_remote: this process
  # is on the machine's network (launch_local's private one is for whole runs).
  bindings = FLAGS.gin_bindings + ["replay_tables.tolerance = 100000000",
                                   "ReplayLearner.learning_starts = 1"]
  server = subprocess.Popen(
      [sys.executable, os.path.join(REPO, "scripts", "distributed.py"), "--job=replay",
       "--allow_remote", f"--root_dir={os.path.join(FLAGS.output_dir, 'reverb_items')}",
       f"--replay_address=localhost:{port}", f"--gin_file={FLAGS.gin_file}"]
      + [f"--gin_bindings={binding}" for binding in bindings],
      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
  try:
    py_env, parts, collect_policy = settings_lib.build(settings, tf.Variable(0, dtype=tf.int64))
    py_env.close()
    spec = collect_policy.trajectory_spec
    window = learner.window_length(parts.agent, parts.intrinsic_reward)
    server_connection = connection.Connection(f"localhost:{port}", give_up_after=120.0)
    server_connection.table_info(replay_server.REPLAY_TABLE)  # Serving before the clock starts.
    writer = replay_writer.ReplayWriter(server_connection, 1, window)
    rng = np.random.default_rng(0)
    step = tf.nest.pack_sequence_as(spec, [
        tf.constant(rng.random((1,) + tuple(s.shape)).astype(s.dtype.as_numpy_dtype))
        for s in tf.nest.flatten(spec)])

    @tf.function
    def collect(num_steps):  # The writer as the actor's compiled driver calls it.
      for _ in tf.range(num_steps):
        writer(step)

    collect(tf.constant(1))
    start = time.perf_counter()
    for _ in range(num_items // 100):
      collect(tf.constant(100))
      writer.flush()
    writer.close()
    insert = (time.perf_counter() - start) / (num_items // 100 * 100)
    sampler = replay_sampler.ReplaySampler(server_connection, spec, window, settings.batch_size,
                                           timeout=60.0)
    sample = tf.function(lambda: sampler.get_next(settings.batch_size, window))
    sample()
    batches = max(num_items // settings.batch_size, 10)
    start = time.perf_counter()
    for _ in range(batches):
      sample()
    sampled = (time.perf_counter() - start) / (batches * settings.batch_size)
    size = sum(s.shape.num_elements() * s.dtype.size for s in tf.nest.flatten(spec))
    return size, insert * 1e6, sampled * 1e6
  finally:
    server.terminate()
    server.wait()


def main(argv):
  del argv
  os.makedirs(FLAGS.output_dir, exist_ok=True)
  config.parse_gin([FLAGS.gin_file], FLAGS.gin_bindings)
  settings = settings_lib.RunSettings.from_gin()
  print("| run | wall s | agent steps/s | updates/s |\n| --- | ---: | ---: | ---: |")
  for num_actors in (int(actors) for actors in FLAGS.actors):
    root_dir = os.path.join(FLAGS.output_dir, str(num_actors))
    wall = _run(num_actors, root_dir)
    speed = _speed(root_dir, settings.learning_starts)
    name = "in process" if num_actors == 0 else f"{num_actors} actor(s) + learner"
    print(f"| {name} | {wall:.0f} | {speed:.0f} | {speed / settings.agent_steps_per_update:.0f} |",
          flush=True)
  if FLAGS.reverb_items:
    size, insert, sample = _reverb_costs(settings, FLAGS.reverb_items)
    print(f"\nReverb, {size} B per step: insert {insert:.0f} us per transition (actor side), "
          f"sample {sample:.0f} us per window (batches of {settings.batch_size})")


if __name__ == "__main__":
  app.run(main)
