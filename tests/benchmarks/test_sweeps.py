"""Tests of sweep command lines and of the runner's reuse, restart, resume and failure."""
import json
import os
import sys

from absl.testing import absltest

from tf_empowerment.benchmarks import sweeps


class TrainCommandTest(absltest.TestCase):

  def test_root_dir_gin_files_then_bindings(self):
    self.assertEqual(sweeps.train_command("/r", ["a.gin", "b.gin"], 3),
                     [sys.executable, sweeps.TRAIN_SCRIPT, "--root_dir=/r", "--gin_file=a.gin",
                      "--gin_file=b.gin", "--gin_bindings=Runner.seed = 3"])
    self.assertEqual(sweeps.train_command("/r", ["a.gin"], 0, 1000, ["X.y = 1"])[4:],
                     ["--gin_bindings=Runner.seed = 0",
                      "--gin_bindings=Runner.num_agent_steps = 1000", "--gin_bindings=X.y = 1"])
    self.assertTrue(os.path.isfile(sweeps.TRAIN_SCRIPT))


class RunSweepTest(absltest.TestCase):

  def setUp(self):
    super().setUp()
    self._dir = self.create_tempdir().full_path
    self._calls = os.path.join(self._dir, "calls")

  def _run(self, name, message="trained", exit_status=0):
    """A run whose command appends its name to self._calls and prints `message`."""
    code = (f"import sys; open({self._calls!r}, 'a').write({name!r} + ' '); print({message!r}); "
            f"sys.exit({exit_status})")
    return sweeps.Run(name, os.path.join(self._dir, name), [sys.executable, "-c", code])

  def _calls_made(self):
    with open(self._calls) as calls:
      return calls.read().split()

  def _log(self, run):
    with open(os.path.join(run.root_dir, "train.log")) as log:
      return log.read().split()

  def test_trains_in_order_then_reuses_finished_runs(self):
    runs = [self._run("a"), self._run("b"), self._run("c")]
    summaries = sweeps.run_sweep(runs, parallel=2)
    self.assertEqual([summary["command"] for summary in summaries],
                     [run.command for run in runs])
    self.assertCountEqual(self._calls_made(), ["a", "b", "c"])
    self.assertEqual(self._log(runs[1]), ["trained"])
    with open(os.path.join(runs[0].root_dir, "summary.json")) as summary_file:
      self.assertEqual(json.load(summary_file), summaries[0])
    self.assertEqual(sweeps.run_sweep(runs, parallel=2), summaries)
    self.assertLen(self._calls_made(), 3)

  def test_finished_summary_is_the_summary_of_the_same_command_only(self):
    run = self._run("a")
    self.assertIsNone(sweeps.finished_summary(run))
    (summary,) = sweeps.run_sweep([run], parallel=1)
    self.assertEqual(sweeps.finished_summary(run), summary)
    self.assertIsNone(sweeps.finished_summary(self._run("a", "another message")))

  def test_another_command_starts_afresh_or_resumes(self):
    sweeps.run_sweep([self._run("a"), self._run("b")], parallel=1)
    for name in ("a", "b"):
      with open(os.path.join(self._dir, name, "checkpoint"), "w"):
        pass
    fresh, resumed = self._run("a", "again"), self._run("b", "again")
    sweeps.run_sweep([fresh], parallel=1)
    sweeps.run_sweep([resumed], parallel=1, resume=True)
    self.assertFalse(os.path.exists(os.path.join(fresh.root_dir, "checkpoint")))
    self.assertEqual(self._log(fresh), ["again"])
    self.assertTrue(os.path.exists(os.path.join(resumed.root_dir, "checkpoint")))
    self.assertEqual(self._log(resumed), ["trained", "again"])

  def test_a_failed_run_names_its_log_and_records_no_summary(self):
    failing = self._run("b", "oops", exit_status=3)
    with self.assertRaisesRegex(sweeps.RunFailedError, "^b failed \\(exit 3\\); see .*train.log$"):
      sweeps.run_sweep([self._run("a"), failing], parallel=1)
    self.assertEqual(self._log(failing), ["oops"])
    self.assertFalse(os.path.exists(os.path.join(failing.root_dir, "summary.json")))
    self.assertTrue(os.path.exists(os.path.join(self._dir, "a", "summary.json")))


if __name__ == "__main__":
  absltest.main()
