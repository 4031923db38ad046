"""scripts/train.py keeps runs safe: default root_dir, Ctrl-C, the lock, corrupt and
incompatible checkpoints, divergence. Real processes, real checkpoints, every process stopped."""
import glob
import os
import re
import signal
import subprocess
import sys
import time

from absl.testing import absltest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TRAIN = os.path.join(REPO, "scripts", "train.py")
GRIDWORLD_GIN = os.path.join(REPO, "gin", "gridworld_dqn.gin")
GRIDWORLD_MINE_GIN = os.path.join(REPO, "gin", "gridworld_mine.gin")
SHORT = ["ReplayLearner.learning_starts = 100", "Runner.eval_interval = 100000",
         "Runner.eval_episodes = 1", "Runner.checkpoint_interval = 100",
         "Runner.log_interval = 100"]
RESUMED = r"Resuming from \S+ckpt-(\d+) at agent step (\d+)"


def _command(gin_file, bindings, root_dir=None):
  command = [sys.executable, TRAIN, f"--gin_file={gin_file}"]
  if root_dir:
    command.append(f"--root_dir={root_dir}")
  return command + [f"--gin_bindings={binding}" for binding in bindings]


def _run(gin_file, bindings, root_dir=None, cwd=REPO, timeout=300):
  return subprocess.run(_command(gin_file, bindings, root_dir), capture_output=True, text=True,
                        timeout=timeout, cwd=cwd)


def _last_line(result):
  return result.stderr.strip().splitlines()[-1]


class RunSafetyTest(absltest.TestCase):

  def _start(self, bindings, root_dir=None, cwd=REPO):
    """A long gridworld run in the background, stopped at the end of the test."""
    log_path = os.path.join(self.create_tempdir().full_path, "run.log")
    with open(log_path, "w") as log_file:
      process = subprocess.Popen(_command(GRIDWORLD_GIN, bindings, root_dir), cwd=cwd,
                                 stdout=log_file, stderr=subprocess.STDOUT)
    self.addCleanup(lambda: process.poll() is None and (process.kill(), process.wait()))
    return process, log_path

  def _wait_for(self, log_path, pattern, timeout=240):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
      with open(log_path) as log_file:
        match = re.search(pattern, log_file.read())
      if match:
        return match
      time.sleep(0.1)
    with open(log_path) as log_file:
      self.fail(f"no {pattern!r} in the log:\n{log_file.read()[-3000:]}")

  def test_ctrl_c_saves_exits_130_and_rerunning_resumes_from_the_default_root_dir(self):
    cwd = self.create_tempdir().full_path
    process, log_path = self._start(SHORT + ["Runner.num_agent_steps = 1000000"], cwd=cwd)
    self._wait_for(log_path, r"step \d+/1000000 \|")
    process.send_signal(signal.SIGINT)
    self.assertEqual(process.wait(timeout=120), 130)
    saved = self._wait_for(log_path, r"Saved \S+ at agent step (\d+)")
    with open(log_path) as log_file:
      log = log_file.read()
    self.assertIn("SIGINT: saving a checkpoint", log)
    self.assertIn(f"run directory: {os.path.join('runs', 'gridworld_dqn')}", log)
    self.assertTrue(os.path.isfile(os.path.join(cwd, "runs", "gridworld_dqn", "checkpoints",
                                                "checkpoint")))
    resumed = _run(GRIDWORLD_GIN, SHORT + ["Runner.num_agent_steps = 10"], cwd=cwd)
    self.assertEqual(resumed.returncode, 0, msg=resumed.stderr[-3000:])
    self.assertEqual(re.search(RESUMED, resumed.stderr).group(2), saved.group(1))

  def test_second_ctrl_c_stops_at_once(self):
    root_dir = self.create_tempdir().full_path
    process, log_path = self._start(SHORT + ["Runner.num_agent_steps = 1000000"], root_dir)
    self._wait_for(log_path, r"step \d+/1000000 \|")
    process.send_signal(signal.SIGINT)
    self._wait_for(log_path, "SIGINT: saving")
    process.send_signal(signal.SIGINT)
    self.assertEqual(process.wait(timeout=30), -signal.SIGINT)

  def test_a_live_run_holds_its_root_dir(self):
    root_dir = self.create_tempdir().full_path
    process, log_path = self._start(SHORT + ["Runner.num_agent_steps = 1000000"], root_dir)
    self._wait_for(log_path, r"step \d+/1000000 \|")
    second = _run(GRIDWORLD_GIN, SHORT, root_dir, timeout=120)
    self.assertNotEqual(second.returncode, 0)
    self.assertRegex(_last_line(second), r"^error: .* is in use by another training run")
    # That a killed run leaves no stale lock, test_train_script's kill -9 and resume shows.

  def test_corrupt_checkpoint_falls_back_and_incompatible_one_stops(self):
    root_dir = self.create_tempdir().full_path
    first = _run(GRIDWORLD_GIN, SHORT + ["Runner.num_agent_steps = 300"], root_dir)
    self.assertEqual(first.returncode, 0, msg=first.stderr[-3000:])
    data_files = glob.glob(os.path.join(root_dir, "checkpoints", "ckpt-300.data-*"))
    self.assertLen(data_files, 1)
    with open(data_files[0], "r+b") as data_file:
      data_file.truncate(os.path.getsize(data_files[0]) // 2)
    resumed = _run(GRIDWORLD_GIN, SHORT + ["Runner.num_agent_steps = 250"], root_dir)
    self.assertEqual(resumed.returncode, 0, msg=resumed.stderr[-3000:])
    warnings = [line for line in resumed.stderr.splitlines() if "ckpt-300" in line
                and "unreadable" in line.lower()]
    self.assertLen(warnings, 1, msg=resumed.stderr[-3000:])
    self.assertEqual(re.search(RESUMED, resumed.stderr).groups(), ("200", "200"))

    other_network = _run(GRIDWORLD_GIN, SHORT + ["mlp_q_network.fc_layer_params = (32, 64)"],
                         root_dir)
    self.assertNotEqual(other_network.returncode, 0)
    line = _last_line(other_network)
    self.assertRegex(line, r"^error: .*(32|64)")
    self.assertNotIn("Traceback", other_network.stderr)

  def test_a_diverging_run_stops_in_one_line_and_keeps_its_last_good_checkpoint(self):
    root_dir = self.create_tempdir().full_path
    # Learning starts after the checkpoints of steps 100 and 200: those are good ones.
    result = _run(GRIDWORLD_GIN, SHORT + ["create_dqn_agent.learning_rate = 1e30",
                                          "ReplayLearner.learning_starts = 250",
                                          "Runner.num_agent_steps = 2000"], root_dir)
    self.assertNotEqual(result.returncode, 0)
    kept = re.search(r"^error: .*not finite.* at agent step \d+; kept the last checkpoint, "
                     r"(\S+)$", _last_line(result))
    self.assertIsNotNone(kept, msg=result.stderr[-3000:])
    self.assertTrue(os.path.isfile(kept.group(1) + ".index"))
    self.assertNotIn("Traceback", result.stderr)

  def test_estimates_out_of_range_are_flagged_in_the_progress_line(self):
    root_dir = self.create_tempdir().full_path
    result = _run(GRIDWORLD_MINE_GIN, SHORT + ["MineEmpowerment.critic_learning_rate = 1e4",
                                               "Runner.num_agent_steps = 300"], root_dir)
    self.assertRegex(result.stderr, r"step \d+/300 .*WARNING empowerment/out_of_range")


if __name__ == "__main__":
  absltest.main()
