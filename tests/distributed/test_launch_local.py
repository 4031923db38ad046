"""scripts/launch_local.py end to end: a replay server, a learner, two actors and the eval job
on a private loopback."""
import os
import re

from absl.testing import absltest
import gin
import reverb

from tests.distributed import local_runs
from tf_empowerment.benchmarks import event_files


class LaunchLocalTest(absltest.TestCase):

  def setUp(self):
    super().setUp()
    self.addCleanup(gin.clear_config)

  def test_two_actors_train_gridworld_dqn_to_its_goal(self):
    root_dir = self.create_tempdir().full_path
    run = local_runs.LocalRun(
        self, root_dir, "--num_actors=2", f"--gin_file={local_runs.GRIDWORLD_GIN}",
        *[f"--gin_bindings={binding}" for binding in local_runs.SHORT_GRIDWORLD])
    run.wait_for(lambda: "collecting" in run.job_log("actor_0"), 300, "actor_0's start")
    # The jobs talk on a private loopback: nothing serves the port on this machine's network.
    address = re.search(r"replay server at (\S+)", run.log()).group(1)
    with self.assertRaises(reverb.errors.DeadlineExceededError):
      reverb.Client(address).server_info(timeout=2)
    self.assertEqual(run.wait(timeout=400), 0, msg=run.log()[-3000:])
    self.assertIn("launch_local: the learner finished", run.log())
    self.assertIn("learner finished at agent step 3000", run.job_log("learner"))
    for actor in ("actor_0", "actor_1"):
      collected = re.search(r"collected (\d+) steps", run.job_log(actor))
      self.assertIsNotNone(collected, msg=run.job_log(actor)[-2000:])
      self.assertGreater(int(collected.group(1)), 300)
    episode = local_runs.greedy_episode(root_dir)
    self.assertEqual((episode["reached_goal"], episode["length"]), (1.0, 7))
    # The eval job evaluated once past eval_interval multiples (1,000; it polls, so two may
    # share one evaluation) and at the end.
    evaluations = event_files.read_scalars(os.path.join(root_dir, "eval"))
    steps, reached_goal = evaluations["episode/reached_goal"]
    self.assertBetween(len(steps), 2, 3, msg=run.job_log("eval")[-2000:])
    self.assertLen(set(step // 1000 for step in steps), len(steps))
    self.assertGreaterEqual(steps[0], 1000)
    self.assertEqual((steps[-1], reached_goal[-1]), (3000, 1.0))
    self.assertEqual(evaluations["AverageEpisodeLength"][1][-1], 7.0)
    # Every job stopped with the run.
    pids = run.pids()
    self.assertCountEqual(pids, ["replay", "learner", "actor_0", "actor_1", "eval"])
    self.assertFalse([pid for job in pids.values() for pid in job if local_runs.alive(pid)])


if __name__ == "__main__":
  absltest.main()
