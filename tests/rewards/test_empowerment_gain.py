"""EmpowermentGainReward against simulation: the change of exact empowerment where the agent
stayed, 0 where it moved."""
import functools
import math

from absl.testing import absltest
from absl.testing import parameterized
import numpy as np
import tensorflow as tf
from tf_agents.specs import tensor_spec

from tests import short_runs
from tests.envs import minigrid_states
from tests.rewards import test_empowerment_reward
from tf_empowerment.envs import minigrid
from tf_empowerment.rewards import counts
from tf_empowerment.rewards import empowerment_gain
from tf_empowerment.rewards import empowerment_reward
from tf_empowerment.rewards import minigrid_empowerment

MULTIROOM = "MiniGrid-MultiRoom-N4-S5-v1"


def _gain(env, empowerment, **kwargs):
  spec = tensor_spec.BoundedTensorSpec([], tf.int64, 0, 6)
  return empowerment_gain.EmpowermentGainReward(
      tf.TensorSpec(env.observation_space.shape, tf.float32), spec, num_envs=1,
      empowerment=functools.partial(empowerment, num_cells=env.num_cells),
      num_cells=env.num_cells, **kwargs)


def _gains(reward, states, actions, next_states):
  return reward.transition_bonus(*[tf.constant(x) for x in (states, actions, next_states)]).numpy()


class EmpowermentGainTest(parameterized.TestCase):

  @parameterized.parameters((MULTIROOM, 1), ("MiniGrid-DoorKey-5x5-v0", 1), (MULTIROOM, 3))
  def test_equals_the_simulated_change_where_the_agent_stayed(self, task, n_steps):
    env = minigrid.MiniGridEnv(task, empowerment_steps=n_steps if n_steps > 1 else 0)
    states, actions, next_states, before, after, stayed = minigrid_states.random_walk(
        env, 0, 600 // n_steps, n_steps)
    gains = _gains(_gain(env, functools.partial(minigrid_empowerment.MiniGridEmpowermentReward,
                                                n_steps=n_steps)),
                   states, actions, next_states)
    np.testing.assert_allclose(gains, np.where(stayed, after - before, 0.0), atol=1e-5)
    self.assertGreater(np.count_nonzero(gains > 0), 0)  # the walk opened or picked up something
    self.assertTrue(np.all(gains[~stayed] == 0))

  def test_opening_a_door_pays_log_5_4_and_closing_it_takes_it_back(self):
    env = minigrid.MiniGridEnv(MULTIROOM)
    states, actions, next_states, _, _, _ = minigrid_states.random_walk(env, 1, 1500)
    gains = _gains(_gain(env, minigrid_empowerment.MiniGridEmpowermentReward),
                   states, actions, next_states)
    toggles = actions == 5
    np.testing.assert_allclose(sorted(set(np.round(gains[toggles], 5))),
                               [-round(math.log(5 / 4), 5), 0.0, round(math.log(5 / 4), 5)])
    self.assertTrue(np.all(gains[~toggles] == 0))  # MultiRoom has nothing to pick up
    unsigned = _gains(_gain(env, minigrid_empowerment.MiniGridEmpowermentReward, signed=False),
                      states, actions, next_states)
    np.testing.assert_allclose(unsigned, np.abs(gains))

  def test_the_wrapped_bonus_observes_the_collected_steps(self):
    states_spec = tf.TensorSpec([25], tf.float32)
    actions_spec = tensor_spec.BoundedTensorSpec([], tf.int32, 0, 4)
    gain = empowerment_gain.EmpowermentGainReward(
        states_spec, actions_spec, num_envs=2, num_cells=25, num_directions=0,
        empowerment=empowerment_reward.ModelEmpowermentReward)
    for steps in test_empowerment_reward.walk("open_5x5", num_envs=2, num_steps=60):
      gain.observe(steps)
    table = gain.empowerment.table.next_states.numpy()
    self.assertGreater((table >= 0).mean(), 0.3)
    # The gridworld never changes: where the agent stays, nothing was gained.
    states = tf.eye(25)[:3]
    np.testing.assert_array_equal(gain.transition_bonus(states, tf.zeros(3, tf.int32), states),
                                  np.zeros(3))

  def test_rejects_a_bonus_without_state_values_and_states_without_a_pose(self):
    env = minigrid.MiniGridEnv(MULTIROOM)
    with self.assertRaisesRegex(ValueError, "episodic_count_bonus has no value of a state"):
      _gain(env, counts.EpisodicCountBonus)
    with self.assertRaisesRegex(ValueError, "beginning with one-hot cells"):
      _gain(env, minigrid_empowerment.MiniGridEmpowermentReward,
            num_directions=env.observation_space.shape[0])

  @parameterized.parameters("minigrid_episodic_counts_plus_empowerment_gain.gin",
                            "minigrid_episodic_counts_plus_learned_empowerment_gain.gin")
  def test_trains_beside_the_episodic_counts_on_multiroom(self, gin_file):
    _, scalars = short_runs.train_briefly(self, [gin_file, "benchmark_multiroom.gin"], 300,
                                          ["Runner.eval_episodes = 1"])
    nonzero = scalars["empowerment_gain_reward/empowerment_gain/nonzero_fraction"][1]
    gains = scalars["empowerment_gain_reward/empowerment_gain/mean"][1]
    self.assertTrue(np.all((nonzero >= 0) & (nonzero <= 1)), nonzero)
    self.assertTrue(np.all(np.abs(gains) <= math.log(7)), gains)


if __name__ == "__main__":
  absltest.main()
