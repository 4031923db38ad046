"""Tests of the Q-networks' two-head variant on both torsos."""
from absl.testing import absltest
from absl.testing import parameterized
import numpy as np
import tensorflow as tf
from tf_agents.specs import tensor_spec

from tf_empowerment.networks import q_networks

NUM_ACTIONS = 4
ACTION_SPEC = tensor_spec.BoundedTensorSpec([], tf.int32, 0, NUM_ACTIONS - 1)
MLP = (q_networks.mlp_q_network, tensor_spec.TensorSpec([5], tf.float32))
NATURE = (q_networks.nature_q_network, tensor_spec.BoundedTensorSpec([84, 84, 4], tf.uint8, 0, 255))


class TwoHeadQNetworkTest(parameterized.TestCase):

  @parameterized.named_parameters(("mlp",) + MLP, ("nature",) + NATURE)
  def test_output_is_the_sum_of_two_heads_on_one_torso(self, network_fn, observation_spec):
    tf.random.set_seed(0)
    network = network_fn(observation_spec, ACTION_SPEC, two_heads=True)
    one_head = network_fn(observation_spec, ACTION_SPEC)
    observation = tensor_spec.sample_spec_nest(observation_spec, seed=0, outer_dims=[2])
    q_values, _ = network(observation)
    heads = network.head_values(observation)
    self.assertEqual(heads.shape, [2, NUM_ACTIONS, 2])
    np.testing.assert_allclose(q_values, tf.reduce_sum(heads, axis=-1), rtol=1e-6)
    self.assertFalse(np.allclose(heads[..., 0], heads[..., 1]))  # Separately initialised.
    one_head.create_variables()
    # The torso and extrinsic head are QNetwork's; the intrinsic head adds a kernel and a bias.
    self.assertEqual([v.shape for v in network.variables[:-2]],
                     [v.shape for v in one_head.variables])
    self.assertEqual(network.variables[-1].shape, [NUM_ACTIONS])

  def test_copy_is_a_two_head_network_with_its_own_weights(self):
    network = q_networks.mlp_q_network(MLP[1], ACTION_SPEC, two_heads=True)
    network.create_variables()
    target = network.copy(name="TargetQNetwork")
    target.create_variables()
    self.assertIsInstance(target, q_networks.TwoHeadQNetwork)
    self.assertLen(target.variables, len(network.variables))
    self.assertEmpty({id(v) for v in network.variables} & {id(v) for v in target.variables})


if __name__ == "__main__":
  absltest.main()
