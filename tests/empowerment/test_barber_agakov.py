"""The Barber-Agakov readout: exact on a noiseless channel, and no NaN from actions of weight 0."""
import math

from absl.testing import absltest
import numpy as np
import tensorflow as tf

from tf_empowerment.empowerment import estimator


class BarberAgakovTest(absltest.TestCase):

  def test_a_perfect_planner_reads_the_source_entropy(self):
    log_source = tf.math.log([[0.5, 0.5, 0.0]])  # the third action never chosen: log 0 = -inf
    executed = tf.eye(3)[None]  # every action runs as intended
    # q(a | s_k) is 1 for the action that leads to outcome k: log 1 = 0, else log 0 = -inf.
    log_planning = tf.math.log(tf.eye(3))[None]
    value = estimator.barber_agakov(log_planning, executed, log_source)
    np.testing.assert_allclose(value.numpy(), [math.log(2.0)], rtol=1e-6)
    compiled = tf.function(estimator.barber_agakov, jit_compile=True)
    np.testing.assert_allclose(compiled(log_planning, executed, log_source).numpy(),
                               [math.log(2.0)], rtol=1e-6)


if __name__ == "__main__":
  absltest.main()
