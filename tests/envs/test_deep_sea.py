"""Tests of the DeepSea gymnasium env: action mapping, dynamics, rewards and metrics."""
import copy
import itertools

from absl.testing import absltest
from absl.testing import parameterized
import numpy as np

from tf_empowerment.envs import deep_sea

SIZE = 5


def _play(env, go_right):
  """One episode choosing right (or left) by `go_right(row, column)`; the step results."""
  env.reset(seed=0)
  results, row, column = [], 0, 0
  for _ in range(env.size):
    right = env.right_action[row, column]
    results.append(env.step(right if go_right(row, column) else 1 - right))
    row, column = results[-1][-1]["row"], results[-1][-1]["column"]
  return results


class DeepSeaEnvTest(parameterized.TestCase):

  def test_action_mapping_is_a_fixed_random_coin_per_cell(self):
    mapping = deep_sea.DeepSeaEnv(20, mapping_seed=3).right_action
    self.assertEqual(mapping.shape, (20, 20))
    self.assertContainsSubset(set(np.unique(mapping)), {0, 1})
    self.assertBetween(mapping.mean(), 0.4, 0.6)
    np.testing.assert_array_equal(deep_sea.DeepSeaEnv(20, mapping_seed=3).right_action, mapping)
    self.assertFalse(np.array_equal(deep_sea.DeepSeaEnv(20, mapping_seed=4).right_action,
                                    mapping))

  def test_always_right_reaches_the_goal_after_size_steps(self):
    results = _play(deep_sea.DeepSeaEnv(SIZE), lambda row, column: True)
    rewards = [reward for _, reward, *_ in results]
    np.testing.assert_allclose(rewards, [-0.01 / SIZE] * (SIZE - 1) + [1.0 - 0.01 / SIZE])
    self.assertAlmostEqual(sum(rewards), 0.99)
    self.assertEqual([terminated for _, _, terminated, *_ in results], [False] * 4 + [True])
    self.assertFalse(any(truncated for *_, truncated, _ in results))
    self.assertEqual([info["column"] for *_, info in results], [1, 2, 3, 4, 4])
    self.assertEqual([info["reached_goal"] for *_, info in results], [0] * 4 + [1])

  def test_left_is_free_and_stops_at_the_wall(self):
    results = _play(deep_sea.DeepSeaEnv(SIZE), lambda row, column: False)
    self.assertEqual([reward for _, reward, *_ in results], [0.0] * SIZE)
    self.assertEqual([info["column"] for *_, info in results], [0] * SIZE)
    self.assertEqual(results[-1][-1]["reached_goal"], 0)

  def test_bottom_right_cell_pays_only_when_moving_right(self):
    # Right to the last column, then left once from the bottom-right cell: no reward.
    results = _play(deep_sea.DeepSeaEnv(SIZE), lambda row, column: row < SIZE - 1)
    self.assertEqual(results[-2][-1]["column"], SIZE - 1)
    self.assertAlmostEqual(results[-1][1], 0.0)
    self.assertEqual(results[-1][-1]["reached_goal"], 0)

  def test_k_step_empowerment_is_log_k_plus_1_wherever_k_rows_are_left(self):
    # Why no empowerment reward can point to DeepSea's goal: from every cell with at least k
    # rows below, the 2^k action sequences end in exactly k + 1 states, whatever the column.
    env, k = deep_sea.DeepSeaEnv(8), 3
    reached = {}
    for prefix in itertools.product(range(2), repeat=8 - k):
      _, info = env.reset(seed=0)
      for action in prefix:
        ends = set()
        for sequence in itertools.product(range(2), repeat=k):
          copied = copy.deepcopy(env)
          for step in sequence:
            end = copied.step(step)[-1]
          ends.add((end["row"], end["column"]))
        reached[(info["row"], info["column"])] = len(ends)
        info = env.step(action)[-1]
    self.assertLen(reached, sum(range(1, 8 - k + 1)))  # every cell of the rows 0 .. 8 - k - 1
    self.assertEqual(set(reached.values()), {k + 1})

  def test_one_hot_observations_and_a_null_last_one(self):
    env = deep_sea.DeepSeaEnv(SIZE)
    observation, info = env.reset(seed=0)
    self.assertEqual((observation.shape, observation.dtype), ((SIZE * SIZE,), np.float32))
    self.assertTrue(env.observation_space.contains(observation))
    self.assertEqual((int(np.argmax(observation)), info["row"], info["column"]), (0, 0, 0))
    observation, *_ = env.step(env.right_action[0, 0])
    np.testing.assert_array_equal(observation, env.observation_of(1, 1))
    self.assertEqual(int(np.argmax(observation)), SIZE + 1)
    results = _play(env, lambda row, column: True)
    np.testing.assert_array_equal(results[-1][0], np.zeros(SIZE * SIZE))

  @parameterized.named_parameters(
      ("size", dict(size=1), "DeepSeaEnv.size must be >= 2"),
      ("move_cost", dict(size=3, move_cost=-0.1), "DeepSeaEnv.move_cost must be non-negative"),
  )
  def test_rejects_invalid_options(self, options, message):
    with self.assertRaisesRegex(ValueError, message):
      deep_sea.DeepSeaEnv(**options)


if __name__ == "__main__":
  absltest.main()
