"""FrameStackReplayBuffer rebuilds exactly the stacks a real AtariVectorEnv produced."""
from absl.testing import absltest
from ale_py.vector_env import AtariVectorEnv
import numpy as np
import tensorflow as tf
from tf_agents.replay_buffers import tf_uniform_replay_buffer
from tf_agents.specs import tensor_spec
from tf_agents.trajectories import policy_step
from tf_agents.trajectories import time_step as ts
from tf_agents.trajectories import trajectory

from tf_empowerment.replay.frame_stack import FrameStackReplayBuffer

_NUM_STEPS = 130
_MAX_LENGTH = 48  # The ring of 48 + 3 steps per environment wraps twice in 130 steps.


def _record_game(max_frames, seed):
  """Time steps of one montezuma_revenge game under random actions, as a TF-Agents adapter
  sees them (NEXT_STEP autoreset: the step after a LAST one is the FIRST of a new episode)."""
  env = AtariVectorEnv("montezuma_revenge", num_envs=1, num_threads=1,
                       max_num_frames_per_episode=max_frames)
  rng = np.random.default_rng(seed)
  stack, _ = env.reset(seed=seed)
  step_types, stacks, actions, rewards, discounts = [ts.StepType.FIRST], [stack[0]], [], [0], [1]
  for _ in range(_NUM_STEPS):
    actions.append(rng.integers(env.single_action_space.n))
    stack, reward, terminated, truncated, _ = env.step(np.array(actions[-1:]))
    if step_types[-1] == ts.StepType.LAST:
      step_types.append(ts.StepType.FIRST)
    elif terminated[0] or truncated[0]:
      step_types.append(ts.StepType.LAST)
    else:
      step_types.append(ts.StepType.MID)
    stacks.append(stack[0])
    rewards.append(reward[0])
    discounts.append(0 if terminated[0] else 1)
  env.close()
  step_types = np.array(step_types, np.int32)
  return trajectory.Trajectory(
      step_type=step_types[:-1],
      observation=np.array(stacks[:-1]).transpose(0, 2, 3, 1),  # channel-last, newest last
      action=np.array(actions, np.int64),
      policy_info=(),
      next_step_type=step_types[1:],
      reward=np.array(rewards[1:], np.float32),
      discount=np.array(discounts[1:], np.float32))


def _dqn_spec():
  observation = tensor_spec.BoundedTensorSpec([84, 84, 4], tf.uint8, 0, 255, name="observation")
  action = tensor_spec.BoundedTensorSpec([], tf.int64, 0, 17, name="action")
  time_step = ts.time_step_spec(observation)
  return trajectory.from_transition(time_step, policy_step.PolicyStep(action, (), ()), time_step)


def _add(buffer, steps, start, stop):
  """Adds steps [start, stop) of `steps` (Trajectory [step, env, ...]) as a tf.function driver."""
  add = tf.function(buffer.add_batch)
  for t in range(start, stop):
    add(tf.nest.map_structure(lambda x: x[t], steps))


class FrameStackReplayBufferTest(absltest.TestCase):

  @classmethod
  def setUpClass(cls):
    super().setUpClass()
    # Two games whose episodes end at different steps (~21 and ~28 steps a frame cap).
    games = [_record_game(max_frames=80, seed=1), _record_game(max_frames=108, seed=2)]
    cls.steps = tf.nest.map_structure(lambda *x: np.stack(x, 1), *games)  # [step, env, ...]

  def _assert_every_window_matches(self, buffer, num_added):
    """Every held window of 2 steps equals the recorded steps, each window exactly once."""
    first = max(num_added - _MAX_LENGTH, 0)
    starts = range(first, num_added - 1)
    windows = list(buffer.as_dataset(num_steps=2, single_deterministic_pass=True))
    self.assertLen(windows, 2 * len(starts))
    for i, (items, info) in enumerate(windows):
      env, start = divmod(i, len(starts))
      np.testing.assert_array_equal(info.ids, [first + start, first + start + 1])
      expected = tf.nest.map_structure(lambda x: x[first + start:first + start + 2, env],
                                       self.steps)
      tf.nest.map_structure(np.testing.assert_array_equal, items, expected)

  def test_atari_reset_stack_is_zero_padded(self):
    is_first = self.steps.step_type == ts.StepType.FIRST
    self.assertGreaterEqual(is_first.sum(), 8)
    self.assertFalse(self.steps.observation[is_first][..., :-1].any())
    self.assertTrue(self.steps.observation[is_first][..., -1].any(axis=(1, 2)).all())

  def test_stacks_match_environment_across_episodes_and_ring_wrap(self):
    held = self.steps.step_type[-_MAX_LENGTH:]
    firsts = [np.flatnonzero(held[:, env] == ts.StepType.FIRST) for env in range(2)]
    self.assertGreaterEqual(min(len(f) for f in firsts), 2)
    self.assertFalse(np.array_equal(firsts[0], firsts[1]))
    buffer = FrameStackReplayBuffer(_dqn_spec(), batch_size=2, max_length=_MAX_LENGTH)
    _add(buffer, self.steps, 0, 30)
    self._assert_every_window_matches(buffer, 30)
    _add(buffer, self.steps, 30, _NUM_STEPS)
    self._assert_every_window_matches(buffer, _NUM_STEPS)
    self.assertEqual(buffer.num_frames(), 2 * _MAX_LENGTH)
    held = tf.nest.map_structure(lambda x: np.swapaxes(x[-_MAX_LENGTH:], 0, 1), self.steps)
    tf.nest.map_structure(np.testing.assert_array_equal, buffer.gather_all(), held)

  def test_uniform_samples_are_recorded_windows(self):
    tf.random.set_seed(0)
    buffer = FrameStackReplayBuffer(_dqn_spec(), batch_size=2, max_length=_MAX_LENGTH)
    _add(buffer, self.steps, 0, _NUM_STEPS)
    envs_seen = set()
    for num_steps in (None, 2):
      dataset = buffer.as_dataset(sample_batch_size=16, num_steps=num_steps)
      for items, info in dataset.take(2):
        num_windows = 2 * (_MAX_LENGTH + 1 - (num_steps or 1))
        np.testing.assert_allclose(info.probabilities, 1 / num_windows)
        for i, ids in enumerate(info.ids.numpy()):
          window = np.atleast_1d(ids)
          np.testing.assert_array_equal(np.diff(window), 1)
          self.assertBetween(window[0], _NUM_STEPS - _MAX_LENGTH, _NUM_STEPS - len(window))
          sample = tf.nest.flatten(tf.nest.map_structure(lambda x: x[i].numpy(), items))
          recorded = [tf.nest.flatten(tf.nest.map_structure(lambda x: x[ids, env], self.steps))
                      for env in (0, 1)]
          matches = [env for env in (0, 1) if all(map(np.array_equal, sample, recorded[env]))]
          self.assertLen(matches, 1)
          envs_seen.update(matches)
    self.assertEqual(envs_seen, {0, 1})

  def test_checkpoint_restores_contents_and_write_position(self):
    saved = FrameStackReplayBuffer(_dqn_spec(), batch_size=2, max_length=_MAX_LENGTH)
    _add(saved, self.steps, 0, 60)
    path = tf.train.Checkpoint(replay_buffer=saved).save(self.create_tempdir().full_path + "/c")
    restored = FrameStackReplayBuffer(_dqn_spec(), batch_size=2, max_length=_MAX_LENGTH)
    tf.train.Checkpoint(replay_buffer=restored).restore(path).assert_consumed()
    self.assertEqual(restored.num_frames(), saved.num_frames())
    _add(restored, self.steps, 60, 80)
    self._assert_every_window_matches(restored, 80)

  def test_clear_starts_afresh(self):
    buffer = FrameStackReplayBuffer(_dqn_spec(), batch_size=2, max_length=_MAX_LENGTH)
    _add(buffer, self.steps, 0, 40)
    buffer.clear()
    self.assertEqual(buffer.num_frames(), 0)
    _add(buffer, self.steps, 0, 10)
    self._assert_every_window_matches(buffer, 10)

  def test_under_8_kb_per_transition(self):
    buffer = FrameStackReplayBuffer(_dqn_spec(), batch_size=2, max_length=1000)
    num_bytes = sum(v.shape.num_elements() * v.dtype.size for v in buffer.variables())
    self.assertLessEqual(num_bytes / buffer.capacity, 8 * 1024)

  def test_dqn_sample_specs_match_tf_uniform_replay_buffer(self):
    buffers = [FrameStackReplayBuffer(_dqn_spec(), batch_size=2, max_length=_MAX_LENGTH),
               tf_uniform_replay_buffer.TFUniformReplayBuffer(_dqn_spec(), 2, _MAX_LENGTH)]
    samples = []
    for buffer in buffers:
      for t in range(10):
        buffer.add_batch(tf.nest.map_structure(lambda x: x[t], self.steps))
      samples.append(next(iter(buffer.as_dataset(sample_batch_size=32, num_steps=2))))
    self.assertEqual(tf.nest.map_structure(tf.TensorSpec.from_tensor, samples[0]),
                     tf.nest.map_structure(tf.TensorSpec.from_tensor, samples[1]))
    self.assertEqual(samples[0][0].observation.shape, [32, 2, 84, 84, 4])

  def test_rejects_stacks_it_cannot_rebuild(self):
    with self.assertRaisesRegex(ValueError, "observation is"):
      FrameStackReplayBuffer(_dqn_spec(), batch_size=2, stack_size=3)
    mid_episode = tf.nest.map_structure(lambda x: x[5], self.steps)
    for step_type in (ts.StepType.MID, ts.StepType.FIRST):
      buffer = FrameStackReplayBuffer(_dqn_spec(), batch_size=2, max_length=_MAX_LENGTH)
      with self.assertRaisesRegex(tf.errors.InvalidArgumentError, "differs from the frames"):
        buffer.add_batch(mid_episode._replace(step_type=np.full([2], step_type, np.int32)))


if __name__ == "__main__":
  absltest.main()
