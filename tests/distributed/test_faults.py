"""Killing one job of a launch_local run with SIGKILL: the run goes on, or resumes."""
import os
import re
import signal

from absl.testing import absltest

from tests.distributed import local_runs

# A run long enough to kill a job mid-way; the goal is not checked.
BINDINGS = [f"--gin_bindings={binding}" for binding in local_runs.SHORT_GRIDWORLD + [
    "Runner.num_agent_steps = 2000"]]


class FaultTest(absltest.TestCase):

  def _launch(self, *flags):
    root_dir = self.create_tempdir().full_path
    return local_runs.LocalRun(self, root_dir, f"--gin_file={local_runs.GRIDWORLD_GIN}",
                               *BINDINGS, *flags)

  def test_the_run_finishes_after_an_actor_is_killed(self):
    run = self._launch("--num_actors=2")
    run.wait_for(lambda: re.search(r"step \d+/2000", run.job_log("actor_0")), 300,
                 "actor_0's first progress line")
    actor = run.pids()["actor_0"][0]
    os.kill(actor, signal.SIGKILL)
    self.assertEqual(run.wait(timeout=300), 0, msg=run.log()[-3000:])
    self.assertIn(f"actor_0 (pid {actor}) died with status -9", run.log())
    self.assertIn("learner finished at agent step 2000", run.job_log("learner"))
    self.assertRegex(run.job_log("actor_1"), r"collected \d+ steps")

  def test_a_killed_learner_restarts_from_its_checkpoint_with_the_servers_replay(self):
    run = self._launch("--num_actors=1", "--restarts=1")
    saved = re.compile(r"Saved \S+ at agent step (\d+)")
    run.wait_for(lambda: saved.search(run.job_log("learner")), 300, "the learner's first save")
    learner = run.pids()["learner"][0]
    os.kill(learner, signal.SIGKILL)
    self.assertEqual(run.wait(timeout=300), 0, msg=run.log()[-3000:])
    self.assertIn(f"learner (pid {learner}) died with status -9", run.log())
    log = run.job_log("learner")
    saved_steps = [int(step) for step in saved.findall(log.split("Resuming from")[0])]
    resumed = re.search(r"Resuming from \S+ckpt-(\d+) at agent step (\d+) with (\d+) windows "
                        r"in replay", log)
    self.assertIsNotNone(resumed, msg=log[-3000:])
    checkpoint, step, windows = (int(group) for group in resumed.groups())
    self.assertEqual(checkpoint, step)
    self.assertEqual(step, max(saved_steps))
    self.assertGreaterEqual(windows, step)  # The server kept what the actor inserted.
    self.assertIn("learner finished at agent step 2000", log)

  def test_a_killed_replay_server_restarts_from_its_table_checkpoint(self):
    run = self._launch("--num_actors=1", "--restarts=1")
    run.wait_for(lambda: "Saved" in run.job_log("learner"), 300, "the learner's first save")
    server = run.pids()["replay"][0]
    os.kill(server, signal.SIGKILL)
    self.assertEqual(run.wait(timeout=300), 0, msg=run.log()[-3000:])
    self.assertIn(f"replay (pid {server}) died with status -9", run.log())
    # The restarted server loaded the replay that the learner's save checkpointed; actor and
    # learner reconnected to it (neither died).
    loaded = re.search(r"Table experience and (\d+) items have been successfully loaded",
                       run.job_log("replay"))
    self.assertIsNotNone(loaded, msg=run.job_log("replay")[-3000:])
    self.assertGreaterEqual(int(loaded.group(1)), 300)
    self.assertCountEqual(run.pids(), ["replay", "learner", "actor_0", "eval"])
    self.assertLen(run.pids()["learner"], 1)
    self.assertLen(run.pids()["eval"], 1)
    self.assertIn("learner finished at agent step 2000", run.job_log("learner"))

  def test_stopping_the_run_saves_the_learner_before_the_server_stops(self):
    run = self._launch("--num_actors=1", "--noeval")
    run.wait_for(lambda: re.search(r"step \d+/2000", run.job_log("learner")), 300,
                 "the learner's first progress line")
    run.process.send_signal(signal.SIGTERM)
    self.assertEqual(run.wait(timeout=120), 1, msg=run.log()[-3000:])
    log = run.job_log("learner")
    self.assertIn("SIGTERM: saving a checkpoint", log)
    # Its last step is saved (now, or by the checkpoint the stop came right after).
    finished = re.search(r"learner finished at agent step (\d+)", log)
    self.assertIsNotNone(finished, msg=log[-3000:])
    self.assertLess(int(finished.group(1)), 2000)
    checkpoint = os.path.join(run.root_dir, "checkpoints", f"ckpt-{finished.group(1)}.index")
    self.assertTrue(os.path.exists(checkpoint), msg=log[-3000:])
    self.assertNotIn("ignored SIGTERM", run.log())
    self.assertCountEqual(run.pids(), ["replay", "learner", "actor_0"])
    self.assertFalse([pid for job in run.pids().values() for pid in job
                      if local_runs.alive(pid)])


if __name__ == "__main__":
  absltest.main()
