"""Compares FrameStackReplayBuffer with TFUniformReplayBuffer on Atari-shaped DQN data.

  python scripts/benchmark_replay.py --max_length=5000

Fills both buffers with the same stream of random 84x84 frames stacked as ALE stacks them
(zeros behind an episode's first frame), then prints a table: bytes of the buffer's variables
per transition of capacity, milliseconds per add_batch, and milliseconds per DQN sample
(32 windows of 2 steps) from `as_dataset(...).prefetch(2)`, as the trainer reads it.
"""
import time

from absl import app
from absl import flags
import numpy as np
import tensorflow as tf
from tf_agents.replay_buffers import tf_uniform_replay_buffer
from tf_agents.specs import tensor_spec
from tf_agents.trajectories import policy_step
from tf_agents.trajectories import time_step as ts
from tf_agents.trajectories import trajectory

from tf_empowerment.replay.frame_stack import FrameStackReplayBuffer

flags.DEFINE_integer("num_envs", 2, "Environments per add (the buffers' batch_size).")
flags.DEFINE_integer("max_length", 5000, "Steps held per environment.")
flags.DEFINE_integer("num_adds", 2000, "Batches added before sampling.")
flags.DEFINE_integer("episode_length", 100, "Steps per synthetic episode.")
flags.DEFINE_integer("num_samples", 500, "DQN batches timed.")
FLAGS = flags.FLAGS


def _stream(num_envs, num_adds, episode_length, seed=0):
  """Yields Trajectory batches [num_envs, ...] whose stacks roll as ALE's do."""
  rng = np.random.default_rng(seed)
  stacks = np.zeros([num_envs, 84, 84, 4], np.uint8)
  for t in range(num_adds):
    first = t % episode_length == 0
    older = np.zeros_like(stacks[..., 1:]) if first else stacks[..., 1:]
    stacks = np.concatenate([older, rng.integers(0, 256, [num_envs, 84, 84, 1], np.uint8)], -1)
    step_type = ts.StepType.FIRST if first else ts.StepType.MID
    ones = np.ones([num_envs], np.float32)
    yield trajectory.Trajectory(
        step_type=np.full([num_envs], step_type, np.int32), observation=stacks,
        action=rng.integers(0, 18, [num_envs]), policy_info=(),
        next_step_type=np.full([num_envs], ts.StepType.MID, np.int32), reward=ones,
        discount=ones)


def _benchmark(buffer):
  """(bytes per transition, ms per add_batch, ms per [32, 2] sample) of a buffer."""
  num_bytes = sum(v.shape.num_elements() * v.dtype.size for v in buffer.variables())

  @tf.function
  def add(items):
    buffer.add_batch(items)

  items = list(_stream(FLAGS.num_envs, FLAGS.num_adds, FLAGS.episode_length))
  add(items[0])
  start = time.perf_counter()
  for batch in items[1:]:
    add(batch)
  add_ms = (time.perf_counter() - start) / (len(items) - 1) * 1e3
  samples = iter(buffer.as_dataset(sample_batch_size=32, num_steps=2,
                                   num_parallel_calls=2).prefetch(2))
  for _ in range(20):
    next(samples)
  start = time.perf_counter()
  for _ in range(FLAGS.num_samples):
    next(samples)
  sample_ms = (time.perf_counter() - start) / FLAGS.num_samples * 1e3
  return num_bytes / buffer.capacity, add_ms, sample_ms


def main(argv):
  del argv
  observation = tensor_spec.BoundedTensorSpec([84, 84, 4], tf.uint8, 0, 255, name="observation")
  action = tensor_spec.BoundedTensorSpec([], tf.int64, 0, 17, name="action")
  time_step = ts.time_step_spec(observation)
  spec = trajectory.from_transition(time_step, policy_step.PolicyStep(action, (), ()), time_step)
  print(f"{FLAGS.num_envs} envs x {FLAGS.max_length} steps, {FLAGS.num_adds} adds\n"
        "| buffer | bytes/transition | add_batch ms | sample [32, 2] ms | windows sampled/s |\n"
        "| --- | --- | --- | --- | --- |")
  for buffer_class in (FrameStackReplayBuffer, tf_uniform_replay_buffer.TFUniformReplayBuffer):
    buffer = buffer_class(spec, batch_size=FLAGS.num_envs, max_length=FLAGS.max_length)
    per_transition, add_ms, sample_ms = _benchmark(buffer)
    print(f"| {buffer_class.__name__} | {per_transition:,.0f} | {add_ms:.2f} | {sample_ms:.2f} "
          f"| {32 / sample_ms * 1e3:,.0f} |")


if __name__ == "__main__":
  app.run(main)
