"""Tests of quiet_logs: a real process imports TF-Agents and saves a policy with PolicySaver."""
import os
import subprocess
import sys

from absl.testing import absltest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# An absl app, as the entry scripts are: imports TF-Agents, traces a policy with autograph,
# saves it with PolicySaver, then warns as our code would.
_SCRIPT = """
import sys
if sys.argv[1] == "quiet":
  from tf_empowerment.train import quiet_logs
  quiet_logs.silence_library_noise()
import os, tempfile, warnings
from absl import app, logging
import tensorflow as tf
from tf_agents.networks import q_network
from tf_agents.policies import greedy_policy, policy_saver, q_policy
from tf_agents.specs import tensor_spec
from tf_agents.trajectories import time_step as ts

def main(argv):
  observation_spec = tensor_spec.TensorSpec([3], tf.float32)
  action_spec = tensor_spec.BoundedTensorSpec([], tf.int32, minimum=0, maximum=2)
  network = q_network.QNetwork(observation_spec, action_spec, fc_layer_params=(4,))
  policy = greedy_policy.GreedyPolicy(
      q_policy.QPolicy(ts.time_step_spec(observation_spec), action_spec, q_network=network))
  tf.function(policy.action)(ts.restart(tf.zeros([1, 3]), batch_size=1))
  policy_saver.PolicySaver(policy, batch_size=None).save(os.path.join(tempfile.mkdtemp(), "p"))
  logging.warning("our absl warning")
  tf.get_logger().warning("our tensorflow-logger warning")
  warnings.warn("our python warning")

app.run(main)
"""

_NOISE = ("Gym has been unmaintained", "Unable to register cuDNN factory", "TF-TRT Warning",
          "cpu_feature_guard", "SyntaxWarning", "is not a valid tf.function parameter name",
          "contains input name(s)", "Found untraced functions", "Encoding a StructuredValue",
          "Assets written to", "Writing fingerprint to")
_OURS = ("our absl warning", "our tensorflow-logger warning", "our python warning")


def _stderr_of(mode):
  env = dict(os.environ, PYTHONPATH=REPO)
  env.pop("TF_CPP_MIN_LOG_LEVEL", None)
  return subprocess.run([sys.executable, "-c", _SCRIPT, mode], env=env, capture_output=True,
                        text=True, timeout=120, check=True).stderr


class SilenceLibraryNoiseTest(absltest.TestCase):

  def test_library_noise_goes_and_our_warnings_stay_once(self):
    loud, quiet = _stderr_of("loud"), _stderr_of("quiet")
    for noise in _NOISE:
      self.assertIn(noise, loud, f"the script no longer provokes {noise!r}; the test is moot")
      self.assertNotIn(noise, quiet, f"stderr still holds {noise!r}")
    for ours in _OURS:
      self.assertEqual(quiet.count(ours), 1, f"{ours!r} should show exactly once")


if __name__ == "__main__":
  absltest.main()
