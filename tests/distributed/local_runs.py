"""scripts/launch_local.py runs for tests: started, read and, whatever happens, stopped whole."""
import os
import re
import signal
import subprocess
import sys
import time

import tensorflow as tf

import tf_empowerment.configurables  # pylint: disable=unused-import
from tf_empowerment.envs import suite
from tf_empowerment.train import config

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAUNCH_LOCAL = os.path.join(REPO, "scripts", "launch_local.py")
DISTRIBUTED = os.path.join(REPO, "scripts", "distributed.py")
GRIDWORLD_GIN = os.path.join(REPO, "gin", "gridworld_dqn.gin")
# gridworld_dqn.gin at half its budget: the greedy policy walks the corridor in 7 steps.
SHORT_GRIDWORLD = [
    "Runner.num_agent_steps = 3000", "LinearEpsilon.decay_steps = 1500",
    "ReplayLearner.learning_starts = 300", "Runner.checkpoint_interval = 500",
    "Runner.log_interval = 500",
]
_STARTED = re.compile(r"started (\w+) \(pid (\d+)\)")


class LocalRun:
  """launch_local.py under `test` with `flags`, its stderr in root_dir/launch_local.log.

  The test's cleanup stops it (SIGTERM, then SIGKILL) and kills any job it started that is
  still alive, so no process outlives the test.
  """

  def __init__(self, test, root_dir, *flags):
    self.root_dir = root_dir
    self.log_path = os.path.join(root_dir, "launch_local.log")
    os.makedirs(root_dir, exist_ok=True)
    with open(self.log_path, "w") as log_file:
      self.process = subprocess.Popen(
          [sys.executable, LAUNCH_LOCAL, f"--root_dir={root_dir}"] + list(flags),
          stdout=log_file, stderr=subprocess.STDOUT, cwd=REPO)
    test.addCleanup(self.stop)

  def log(self):
    with open(self.log_path, errors="replace") as log_file:
      return log_file.read()

  def job_log(self, name):
    path = os.path.join(self.root_dir, "logs", f"{name}.log")
    if not os.path.exists(path):
      return ""
    with open(path, errors="replace") as log_file:
      return log_file.read()

  def pids(self):
    """name -> pids of every job started so far, oldest first."""
    pids = {}
    for name, pid in _STARTED.findall(self.log()):
      pids.setdefault(name, []).append(int(pid))
    return pids

  def wait_for(self, condition, timeout, what):
    """Polls `condition()` until true; AssertionError naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
      if time.monotonic() > deadline or self.process.poll() is not None:
        raise AssertionError(f"{what} did not happen; launch_local says:\n{self.log()[-3000:]}")
      time.sleep(0.2)

  def wait(self, timeout):
    """launch_local's exit status."""
    return self.process.wait(timeout=timeout)

  def stop(self):
    if self.process.poll() is None:
      self.process.send_signal(signal.SIGTERM)
      try:
        self.process.wait(timeout=60)
      except subprocess.TimeoutExpired:
        self.process.kill()
        self.process.wait()
    for pids in self.pids().values():
      for pid in pids:
        if alive(pid):
          os.kill(pid, signal.SIGKILL)


def alive(pid):
  """Whether `pid` is a live (not zombie) process running scripts/distributed.py."""
  try:
    with open(f"/proc/{pid}/stat") as stat:
      if stat.read().split(")")[-1].split()[0] == "Z":
        return False
    with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
      return b"distributed.py" in cmdline.read()
  except FileNotFoundError:
    return False


def greedy_episode(root_dir):
  """The episode metrics of the run's exported greedy policy on gridworld_dqn.gin's corridor."""
  config.parse_gin([GRIDWORLD_GIN], [])
  policy = tf.saved_model.load(os.path.join(root_dir, "policy"))
  env = suite.load_environment("gridworld:corridor", num_envs=1, seed=0)
  time_step = env.reset()
  while not time_step.is_last():
    batched = tf.nest.map_structure(lambda x: tf.convert_to_tensor(x)[None], time_step)
    time_step = env.step(policy.action(batched, ()).action.numpy()[0])
  return env.episode_metrics()[0]
