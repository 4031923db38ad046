"""The real trainer run for a few hundred steps, for tests that a configuration trains."""
import os
import subprocess

from tf_empowerment.benchmarks import event_files
from tf_empowerment.benchmarks import sweeps


def train_briefly(test_case, gin_names, num_agent_steps, gin_bindings=()):
  """Trains gin/<name> files for `num_agent_steps` in a temporary directory, learning from step
  100 and evaluating at the end; fails `test_case` with the stderr's tail if the run fails.
  Returns (root_dir, the train summaries' scalars)."""
  root_dir = test_case.create_tempdir().full_path
  gin_files = [os.path.join(sweeps.REPO, "gin", name) for name in gin_names]
  command = sweeps.train_command(root_dir, gin_files, seed=0, num_agent_steps=num_agent_steps,
                                 gin_bindings=[
                                     "ReplayLearner.learning_starts = 100",
                                     f"Runner.eval_interval = {num_agent_steps}",
                                     "Runner.log_interval = 100", *gin_bindings])
  result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
  test_case.assertEqual(result.returncode, 0, result.stderr[-2000:])
  return root_dir, event_files.read_scalars(os.path.join(root_dir, "train"))
