"""Frames stored once in Reverb: stacks written through the actor's ReplayWriter come back from
the learner's ReplaySampler exactly as the environment produced them, on a real server."""
import os

from absl.testing import absltest
import gin
import numpy as np
import portpicker
import tensorflow as tf
from tf_agents.specs import tensor_spec
from tf_agents.trajectories import policy_step
from tf_agents.trajectories import time_step as ts
from tf_agents.trajectories import trajectory

import tf_empowerment.configurables  # pylint: disable=unused-import
from tf_empowerment.distributed import connection
from tf_empowerment.distributed import replay_items
from tf_empowerment.distributed import replay_sampler
from tf_empowerment.distributed import replay_server
from tf_empowerment.distributed import replay_writer
from tf_empowerment.distributed import settings as settings_lib
from tf_empowerment.train import config

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_STACK, _WINDOW, _NUM_STEPS = 4, 2, 14
# The FIRST steps of each environment's episodes: env 1's second episode lasts 2 steps, shorter
# than a stack, so a stack of its third episode reaches back over two episode starts.
_EPISODE_STARTS = ([0, 5, 11], [0, 2, 4, 9])
_FIELDS = ("step_type", "observation", "action", "next_step_type", "reward", "discount")


def _spec():
  observation = tensor_spec.BoundedTensorSpec([4, 4, _STACK], tf.uint8, 0, 255)
  action = tensor_spec.TensorSpec([], tf.int64)
  time_step = ts.time_step_spec(observation)
  return trajectory.from_transition(time_step, policy_step.PolicyStep(action, (), ()), time_step)


def _environment_steps():
  """Trajectory [step, env, ...] of two environments' steps: distinct non-zero [4, 4] frames,
  stacks of the last 4 (newest last) with zeros before the episode's FIRST step, as ALE resets
  them; the action names the step (100 * env + step)."""
  step_types = np.full((_NUM_STEPS, 2), ts.StepType.MID, np.int32)
  stacks = np.zeros((_NUM_STEPS, 2, 4, 4, _STACK), np.uint8)
  for env, starts in enumerate(_EPISODE_STARTS):
    step_types[starts, env] = ts.StepType.FIRST
    step_types[[start - 1 for start in starts[1:]], env] = ts.StepType.LAST
    for t in range(_NUM_STEPS):
      start = max(s for s in starts if s <= t)
      for k in range(_STACK):  # Oldest first.
        older = t - (_STACK - 1) + k
        if older >= start:
          stacks[t, env, ..., k] = np.arange(16).reshape(4, 4) + 1 + 20 * env + older
  next_step_types = np.concatenate([step_types[1:], step_types[:1]])
  actions = 100 * np.arange(2) + np.arange(_NUM_STEPS)[:, None]
  return trajectory.Trajectory(
      step_type=step_types, observation=stacks, action=actions.astype(np.int64), policy_info=(),
      next_step_type=next_step_types, reward=actions.astype(np.float32) / 10,
      discount=np.ones((_NUM_STEPS, 2), np.float32))


class FrameWindowsTest(absltest.TestCase):

  def setUp(self):
    super().setUp()
    gin.clear_config()
    self.addCleanup(gin.clear_config)
    config.parse_gin([os.path.join(REPO, "gin", "montezuma_dqn_pixels.gin")],
                     ["Runner.num_envs = 2", "ReplayLearner.learning_starts = 1"])
    self.settings = settings_lib.RunSettings.from_gin()
    self.items = replay_items.of_run(self.settings, _spec(), _WINDOW)
    tables = replay_server.replay_tables(
        self.settings, self.items, {"step": tf.Variable(0, dtype=tf.int64)},
        tolerance=1_000_000)  # No insert waits for samples.
    self.server = replay_server.start(tables, portpicker.pick_unused_port(),
                                      self.create_tempdir().full_path)
    self.addCleanup(self.server.stop)
    self.connection = connection.Connection(f"localhost:{self.server.port}", call_timeout=5.0,
                                            give_up_after=10.0)

  def _write(self, steps, num_steps):
    writer = replay_writer.ReplayWriter(self.connection, 2, self.items)
    self.addCleanup(writer.close)
    write = tf.function(writer)
    for t in range(num_steps):
      write(tf.nest.map_structure(lambda x: x[t], steps))  # pylint: disable=cell-var-from-loop
    self.assertTrue(writer.flush(pending_items=0))

  def test_the_run_stores_frames_once(self):
    self.assertEqual(self.settings.frame_stack_size, _STACK)
    self.assertIsInstance(self.items, replay_items.FrameWindows)
    self.assertEqual(self.items.signature().observation.shape, [_WINDOW + _STACK - 1, 4, 4])

  def test_sampled_stacks_are_the_environments(self):
    steps = _environment_steps()
    np.testing.assert_array_equal(steps.observation[5, 0, ..., :3], 0)  # A reset's zeros...
    np.testing.assert_array_equal(steps.observation[10, 1, ..., :2], 0)  # ...and a 2nd's.
    self._write(steps, _NUM_STEPS)
    # An item per step once an environment has a window and the 3 steps before it.
    first_window = _STACK - 1
    windows = {(env, t) for env in range(2) for t in range(first_window, _NUM_STEPS - 1)}
    self.assertEqual(self.connection.table_info(replay_server.REPLAY_TABLE).current_size,
                     len(windows))
    sampler = replay_sampler.ReplaySampler(self.connection, self.items, 16, timeout=10.0)
    seen = set()
    for _ in range(40):  # 640 uniform samples of 20 windows: each is seen (p > 1 - 1e-9).
      sampled, _ = sampler.get_next(16, _WINDOW)
      sampled = tf.nest.map_structure(lambda x: x.numpy(), sampled)
      for i in range(16):
        env, t = divmod(int(sampled.action[i, 0]), 100)
        for name in _FIELDS:
          np.testing.assert_array_equal(getattr(sampled, name)[i],
                                        getattr(steps, name)[t:t + _WINDOW, env],
                                        err_msg=f"{name} of window {t} of environment {env}")
        seen.add((env, t))
    self.assertEqual(seen, windows)

  def test_the_writer_rejects_a_stack_that_frames_once_cannot_rebuild(self):
    steps = _environment_steps()
    # Not the previous step's newest frame; an older frame of a FIRST step that is not zero.
    for step, env, frame in [(6, 0, 2), (5, 0, 0)]:
      with self.subTest(step=step, frame=frame):
        wrong = steps.observation.copy()
        wrong[step, env, ..., frame] += 1
        with self.assertRaisesRegex(tf.errors.InvalidArgumentError, "stack differs"):
          self._write(steps._replace(observation=wrong), step + 1)

  def test_other_runs_store_whole_steps(self):
    gin.clear_config()
    config.parse_gin([os.path.join(REPO, "gin", "gridworld_dqn.gin")], [])
    settings = settings_lib.RunSettings.from_gin()
    self.assertIsNone(settings.frame_stack_size)
    items = replay_items.of_run(settings, _spec(), _WINDOW)
    self.assertNotIsInstance(items, replay_items.FrameWindows)
    self.assertEqual(items.signature().observation.shape, [_WINDOW, 4, 4, _STACK])


if __name__ == "__main__":
  absltest.main()
