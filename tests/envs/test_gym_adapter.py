"""Tests of the gymnasium -> TF-Agents adapters: specs, episode ends, autoreset, seeding."""
from absl.testing import absltest
from absl.testing import parameterized
import gymnasium
from gymnasium import spaces
from gymnasium.vector import AutoresetMode
import numpy as np
from tf_agents.environments import tf_py_environment
from tf_agents.specs import tensor_spec
from tf_agents.trajectories import time_step as ts

from tf_empowerment.envs import gym_adapter

FIRST, MID, LAST = ts.StepType.FIRST, ts.StepType.MID, ts.StepType.LAST


class Countdown(gymnasium.Env):
  """Ends after `length` steps by `end` ("terminated", "truncated" or "both"); reward = action.

  Observations are a random draw at reset (to test seeding) and the steps left.
  """

  metadata = {}

  def __init__(self, length=3, end="terminated"):
    self.observation_space = spaces.Box(0.0, 10.0, (2,), np.float32)
    self.action_space = spaces.Discrete(3)
    self._length, self._end = length, end

  def _observation(self):
    return np.array([self._draw, self._left], np.float32)

  def reset(self, *, seed=None, options=None):
    super().reset(seed=seed)
    self._draw = self.np_random.uniform(0.0, 10.0)
    self._left = self._length
    return self._observation(), {"left": self._left}

  def step(self, action):
    self._left -= 1
    done = self._left == 0
    terminated = done and self._end in ("terminated", "both")
    truncated = done and self._end in ("truncated", "both")
    return self._observation(), float(action), terminated, truncated, {"left": self._left}


def _run(env, actions):
  return [env.step(np.asarray(action, np.int32)) for action in actions]


class SpaceToSpecTest(absltest.TestCase):

  def test_box_keeps_dtype_and_bounds(self):
    spec = gym_adapter.space_to_spec(spaces.Box(0, 255, (84, 84, 4), np.uint8), "observation")
    self.assertEqual(spec.shape, (84, 84, 4))
    self.assertEqual(spec.dtype, np.uint8)
    self.assertEqual((spec.minimum, spec.maximum), (0, 255))

  def test_box_with_per_element_bounds_keeps_arrays(self):
    low, high = np.array([0.0, -1.0], np.float32), np.array([1.0, 1.0], np.float32)
    spec = gym_adapter.space_to_spec(spaces.Box(low, high), "observation")
    np.testing.assert_array_equal(spec.minimum, [0.0, -1.0])
    self.assertEqual(spec.dtype, np.float32)

  def test_box_with_one_uniform_bound_keeps_both_arrays_and_samples(self):
    # TF-Agents' sampling fails on a scalar minimum beside an array maximum.
    high = np.array([1.0, 5.0], np.float32)
    spec = gym_adapter.space_to_spec(spaces.Box(np.zeros(2, np.float32), high), "observation")
    np.testing.assert_array_equal(spec.minimum, [0.0, 0.0])
    np.testing.assert_array_equal(spec.maximum, high)
    sample = tensor_spec.sample_spec_nest(tensor_spec.from_spec(spec), seed=0).numpy()
    self.assertTrue(np.all((sample >= 0.0) & (sample <= high)))

  def test_discrete_is_scalar_int32_from_zero(self):
    spec = gym_adapter.space_to_spec(spaces.Discrete(18), "action")
    self.assertEqual((spec.shape, spec.dtype, spec.minimum, spec.maximum),
                     ((), np.int32, 0, 17))

  def test_rejects_discrete_with_offset_and_other_spaces(self):
    with self.assertRaisesRegex(ValueError, "must start at 0"):
      gym_adapter.space_to_spec(spaces.Discrete(3, start=1), "action")
    with self.assertRaisesRegex(ValueError, "unsupported gymnasium space"):
      gym_adapter.space_to_spec(spaces.MultiBinary(3), "action")


class GymEnvironmentTest(parameterized.TestCase):

  @parameterized.named_parameters(
      ("terminated", "terminated", 0.0),
      ("truncated_keeps_bootstrap", "truncated", 1.0),
      ("both_terminated_wins", "both", 0.0),
  )
  def test_episode_end_discount(self, end, last_discount):
    env = gym_adapter.GymEnvironment(Countdown(length=2, end=end), seed=0)
    steps = [env.reset()] + _run(env, [1, 2])
    self.assertEqual([int(step.step_type) for step in steps], [FIRST, MID, LAST])
    self.assertEqual([float(step.discount) for step in steps], [1.0, 1.0, last_discount])
    self.assertEqual([float(step.reward) for step in steps], [0.0, 1.0, 2.0])
    self.assertEqual(steps[-1].reward.dtype, np.float32)
    self.assertEqual(steps[-1].discount.dtype, np.float32)

  def test_step_after_last_is_first_from_reset(self):
    env = gym_adapter.GymEnvironment(Countdown(length=1), seed=0)
    steps = _run(env, [1, 1, 2, 1])
    self.assertEqual([int(step.step_type) for step in steps], [FIRST, LAST, FIRST, LAST])
    self.assertEqual(float(steps[2].reward), 0.0)
    self.assertEqual(float(steps[2].observation[1]), 1.0)  # steps left: a fresh episode

  def test_episode_metrics_are_drained(self):
    env = gym_adapter.GymEnvironment(Countdown(length=2), seed=0, episode_info_keys=("left",))
    _run(env, [0, 1, 2, 0, 2, 2])
    self.assertEqual(env.episode_metrics(), [{"return": 3.0, "length": 2, "left": 0.0},
                                             {"return": 4.0, "length": 2, "left": 0.0}])
    self.assertEqual(env.episode_metrics(), [])

  def test_seed_reproduces_first_reset(self):
    draws = [float(gym_adapter.GymEnvironment(Countdown(), seed=seed).reset().observation[0])
             for seed in (3, 3, 4)]
    self.assertEqual(draws[0], draws[1])
    self.assertNotEqual(draws[0], draws[2])

  def test_specs_and_frames_per_step(self):
    env = gym_adapter.GymEnvironment(Countdown(), frames_per_step=4)
    self.assertEqual(env.observation_spec().shape, (2,))
    self.assertEqual(env.action_spec().dtype, np.int32)
    self.assertEqual(env.frames_per_step, 4)
    self.assertFalse(env.batched)


class BatchedGymEnvironmentTest(absltest.TestCase):

  def _env(self, lengths, end="terminated", seed=0):
    vector_env = gym_adapter.make_vector_env(
        [lambda length=length: Countdown(length, end) for length in lengths])
    return gym_adapter.BatchedGymEnvironment(vector_env, seed=seed)

  def test_sub_envs_end_and_restart_independently(self):
    env = self._env([1, 2], end="truncated")
    steps = [env.reset()] + _run(env, [[1, 1], [2, 2], [1, 1]])
    np.testing.assert_array_equal([step.step_type for step in steps],
                                  [[FIRST, FIRST], [LAST, MID], [FIRST, LAST], [LAST, FIRST]])
    np.testing.assert_array_equal(steps[1].discount, [1.0, 1.0])  # truncation bootstraps
    np.testing.assert_array_equal(steps[2].reward, [0.0, 2.0])  # FIRST ignores the action
    self.assertEqual(env.episode_metrics(), [{"return": 1.0, "length": 1},
                                             {"return": 3.0, "length": 2},
                                             {"return": 1.0, "length": 1}])

  def test_termination_discount_is_zero(self):
    env = self._env([1, 2])
    env.reset()
    (step,) = _run(env, [[1, 1]])
    np.testing.assert_array_equal(step.step_type, [LAST, MID])
    np.testing.assert_array_equal(step.discount, [0.0, 1.0])
    self.assertEqual(step.discount.dtype, np.float32)

  def test_sub_envs_are_seeded_distinctly_and_reproducibly(self):
    first = self._env([2, 2], seed=7).reset().observation[:, 0]
    again = self._env([2, 2], seed=7).reset().observation[:, 0]
    np.testing.assert_array_equal(first, again)
    self.assertNotEqual(first[0], first[1])

  def test_works_under_tf_py_environment(self):
    env = tf_py_environment.TFPyEnvironment(self._env([1, 3]))
    self.assertEqual(env.batch_size, 2)
    env.reset()
    step = env.step(np.array([1, 1], np.int32))
    np.testing.assert_array_equal(step.step_type.numpy(), [LAST, MID])

  def test_rejects_same_step_autoreset(self):
    vector_env = gymnasium.vector.SyncVectorEnv([Countdown], autoreset_mode=AutoresetMode.SAME_STEP)
    with self.assertRaisesRegex(ValueError, "NEXT_STEP"):
      gym_adapter.BatchedGymEnvironment(vector_env)


if __name__ == "__main__":
  absltest.main()
