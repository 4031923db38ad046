"""scripts/distributed.py's jobs on their own: what stops them, in one line."""
import subprocess
import sys
import time

from absl.testing import absltest
import portpicker

from tests.distributed import local_runs
from tf_empowerment.distributed import isolation


def _job(root_dir, job, address, *flags, timeout=180):
  return subprocess.run(
      [sys.executable, local_runs.DISTRIBUTED, f"--job={job}", f"--root_dir={root_dir}",
       f"--replay_address={address}", f"--gin_file={local_runs.GRIDWORLD_GIN}"] + list(flags),
      capture_output=True, text=True, timeout=timeout, cwd=local_runs.REPO)


class DistributedScriptTest(absltest.TestCase):

  def _assert_one_error_line(self, result, expected):
    self.assertNotEqual(result.returncode, 0)
    lines = result.stderr.strip().splitlines()
    self.assertEqual([line for line in lines if line.startswith("error: ")], [lines[-1]],
                     msg=result.stderr[-3000:])
    self.assertIn(expected, lines[-1])

  def test_an_actor_without_a_server_gives_up_in_one_line(self):
    address = f"localhost:{portpicker.pick_unused_port()}"  # Nothing serves there.
    started = time.monotonic()
    result = _job(self.create_tempdir().full_path, "actor", address,
                  "--gin_bindings=Connection.call_timeout = 1.0",
                  "--gin_bindings=Connection.give_up_after = 5.0")
    self._assert_one_error_line(result, f"replay server at {address}: no answer for 5 s")
    self.assertIn("retrying", result.stderr)  # It said it was retrying before it gave up.
    self.assertLess(time.monotonic() - started, 120)  # Startup, then 5 s of retries.

  def test_the_replay_job_serves_other_machines_only_with_allow_remote(self):
    if isolation.loopback_only():
      self.skipTest("this machine has no interface but loopback")
    address = f"localhost:{portpicker.pick_unused_port()}"
    result = _job(self.create_tempdir().full_path, "replay", address)
    self._assert_one_error_line(result, "pass --allow_remote to serve other machines")

  def test_a_malformed_address_fails_in_one_line(self):
    result = _job(self.create_tempdir().full_path, "learner", "localhost")
    self._assert_one_error_line(result, "--replay_address must be HOST:PORT, got 'localhost'")


if __name__ == "__main__":
  absltest.main()
