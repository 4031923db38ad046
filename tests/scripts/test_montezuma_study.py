"""scripts/montezuma_study.py --tabulate_only over a study's runs as they stand: the rows of the
runs that started, read from their event files, and one error line when none did."""
import json
import os
import subprocess
import sys

from absl.testing import absltest
import tensorflow as tf

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO, "scripts", "montezuma_study.py")
STUDY = ["--gin_files=gin/montezuma_dqn.gin,gin/montezuma_rnd.gin", "--seeds=0,1",
         "--tabulate_only"]


def _script(output_dir):
  return subprocess.run([sys.executable, SCRIPT, *STUDY, f"--output_dir={output_dir}"],
                        capture_output=True, text=True, timeout=300, cwd=REPO)


class MontezumaStudyTest(absltest.TestCase):

  def test_tabulates_the_started_runs_as_far_as_they_got(self):
    output_dir = self.create_tempdir().full_path
    train_dir = os.path.join(output_dir, "montezuma_rnd", "seed_1", "train")
    with tf.summary.create_file_writer(train_dir).as_default():  # a run stopped at step 2,000
      for step, score, rooms in ((1_000, 0.0, 1.0), (2_000, 400.0, 3.0)):
        tf.summary.scalar("episode_max/return", score, step=step)
        tf.summary.scalar("episode_max/rooms_visited", rooms, step=step)
        tf.summary.scalar("metrics/AverageReturn", score / 4, step=step)
        tf.summary.scalar("metrics/EnvironmentSteps", float(step), step=step)
    result = _script(output_dir)
    self.assertEqual(result.returncode, 0, msg=result.stderr[-3000:])
    rows = [line for line in result.stdout.splitlines() if line.startswith("| montezuma")]
    self.assertLen(rows, 1)
    self.assertRegex(rows[0], r"^\| montezuma_rnd \| 1 \| 8,000 \| 400 \| 100.00 \| 3 \| 0.00 \|$")
    self.assertNotIn("wall-clock", result.stdout)
    with open(os.path.join(output_dir, "results.json")) as results:
      self.assertIsNone(json.load(results)["wall_clock_hours"])
    for name in ("results.md", "curves.png"):
      self.assertTrue(os.path.isfile(os.path.join(output_dir, name)), name)

  def test_a_study_with_no_run_is_one_error_line(self):
    result = _script(self.create_tempdir().full_path)
    self.assertNotEqual(result.returncode, 0)
    self.assertRegex(result.stderr.strip().splitlines()[-1],
                     r"^error: no run under .* has logged a step")


if __name__ == "__main__":
  absltest.main()
