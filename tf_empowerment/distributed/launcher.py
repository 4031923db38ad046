"""A distributed run on this machine: the replay server, the learner, N actors and the eval job
as processes.

Each job is `scripts/distributed.py` in its own process (and session, so a terminal's Ctrl-C
reaches the launcher alone), its output in root_dir/logs/<job>.log. The launcher reports
every death with the job's last log line, restarts a dead job up to `restarts` times (a
restarted learner resumes from its checkpoint, a restarted actor reconnects), and ends the run
when the learner finishes (status 0) or when it cannot go on (the replay server or the
learner dead for good, or no actor left; a dead eval job only costs the run its evaluations).
Then it stops every job, SIGTERM first and SIGKILL after `grace` seconds: the learner first,
so that it saves while the replay server still answers, then the others.
"""
import dataclasses
import os
import signal
import subprocess
import sys
import time

from absl import logging

SCRIPT = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__)))), "scripts", "distributed.py")


@dataclasses.dataclass
class Job:
  """One process of the run: its name ('replay', 'learner', 'actor_<i>'), its arguments."""
  name: str
  args: list
  log_path: str
  process: subprocess.Popen = None
  restarts: int = 0
  ended: bool = False  # Ended, and handled as such.

  def start(self):
    self.ended = False
    with open(self.log_path, "a") as log_file:
      self.process = subprocess.Popen(
          [sys.executable, SCRIPT] + self.args, stdout=log_file, stderr=subprocess.STDOUT,
          start_new_session=True)
    logging.info("launch_local: started %s (pid %d), log %s", self.name, self.process.pid,
                 self.log_path)

  def last_line(self):
    with open(self.log_path, errors="replace") as log_file:
      lines = [line.strip() for line in log_file if line.strip()]
    return lines[-1] if lines else "(no output)"


class LocalRun:
  """The jobs of one run under `root_dir`; `common_args` are the flags every job takes
  (gin files and bindings), `port` the replay server's."""

  def __init__(self, root_dir, common_args, port, num_actors, restarts=0, grace=10.0,
               evaluate=True):
    log_dir = os.path.join(root_dir, "logs")
    os.makedirs(log_dir, exist_ok=True)
    self._address = f"localhost:{port}"
    common = list(common_args) + [f"--root_dir={root_dir}", f"--replay_address={self._address}"]
    def job(name, *args):
      return Job(name, ["--job=" + name.split("_")[0]] + list(args) + common,
                 os.path.join(log_dir, f"{name}.log"))
    self.jobs = ([job("replay"), job("learner")]
                 + [job(f"actor_{task}", f"--task={task}") for task in range(num_actors)]
                 + ([job("eval")] if evaluate else []))
    self._restarts = restarts
    self._grace = grace

  def run(self, stop_requested=lambda: False, poll_interval=0.5):
    """Starts every job and supervises them; 0 when the learner finished, else 1."""
    logging.info("launch_local: replay server at %s", self._address)
    for job in self.jobs:
      job.start()
    try:
      while not stop_requested():
        status = self._check()
        if status is not None:
          return status
        time.sleep(poll_interval)
      logging.info("launch_local: stop requested")
      return 1
    finally:
      self.stop()

  def _check(self):
    """Handles jobs that ended since the last check; the run's status once it is over."""
    for job in self.jobs:
      status = job.process.poll()
      if status is None or job.ended:
        continue
      if job.name == "learner" and status == 0:
        logging.info("launch_local: the learner finished")
        self._wait_for_followers()
        return 0
      job.ended = True
      if _follows(job) and status == 0:
        continue  # It saw the learner's last push.
      logging.error("launch_local: %s (pid %d) died with status %d: %s", job.name,
                    job.process.pid, status, job.last_line())
      if job.restarts < self._restarts:
        job.restarts += 1
        job.start()
      elif job.name == "eval":
        logging.error("launch_local: the run goes on without evaluations")
      elif not job.name.startswith("actor"):
        logging.error("launch_local: the run cannot go on without the %s", job.name)
        return 1
      elif all(other.ended for other in self.jobs if other.name.startswith("actor")):
        logging.error("launch_local: no actor left")
        return 1
    return None

  def _wait_for_followers(self):
    """Gives the actors and the eval job `grace` seconds to pull the learner's last push and
    stop (the eval job after its last evaluation)."""
    deadline = time.monotonic() + self._grace
    for job in self.jobs:
      if _follows(job):
        try:
          job.process.wait(timeout=max(deadline - time.monotonic(), 0.0))
        except subprocess.TimeoutExpired:
          pass

  def stop(self):
    """Stops the learner (it saves on SIGTERM), then every other live job: SIGTERM, and
    SIGKILL to those alive `grace` seconds later."""
    learner = [job for job in self.jobs if job.name == "learner"]
    self._terminate(learner)
    self._terminate([job for job in self.jobs if job.name != "learner"])

  def _terminate(self, jobs):
    live = [job for job in jobs if job.process is not None and job.process.poll() is None]
    for job in live:
      job.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + self._grace
    for job in live:
      try:
        job.process.wait(timeout=max(deadline - time.monotonic(), 0.0))
      except subprocess.TimeoutExpired:
        logging.warning("launch_local: %s (pid %d) ignored SIGTERM; killing it", job.name,
                        job.process.pid)
        job.process.kill()
        job.process.wait()


def _follows(job):
  """Whether `job` stops by itself once the learner has pushed the run's last step."""
  return job.name.startswith("actor") or job.name == "eval"
