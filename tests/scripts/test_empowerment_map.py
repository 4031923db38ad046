"""scripts/empowerment_map.py end to end: a short learned run on view features with training
windows mostly near the start, and one error line for a bad flag."""
import json
import os
import re
import subprocess
import sys

from absl.testing import absltest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO, "scripts", "empowerment_map.py")
SMALL = ["--gin_bindings=StatisticsNetwork.hidden_units = (16,)",
         "--gin_bindings=ForwardModel.hidden_units = (16,)"]


def _script(*flags):
  return subprocess.run([sys.executable, SCRIPT, *flags], capture_output=True, text=True,
                        timeout=300, cwd=REPO)


class EmpowermentMapTest(absltest.TestCase):

  def test_near_start_windows_on_view_features_are_counted_and_tabulated(self):
    output_dir = self.create_tempdir().full_path
    result = _script("--layout=four_rooms", "--n_steps=2", "--coverage=near_start",
                     "--coverage_scale=2", "--features=view", "--train_steps=3",
                     "--batch_size=64", "--log_every=0", f"--output_dir={output_dir}", *SMALL)
    self.assertEqual(result.returncode, 0, msg=result.stderr[-3000:])
    with open(os.path.join(output_dir, "empowerment.json")) as json_file:
      cells = {key: value for key, value in json.load(json_file).items() if "," in key}
    self.assertEqual(sum(cell["windows"] for cell in cells.values()), 3 * 64)
    rows = re.findall(r"^\| ([\d,+-]+) \| (\d+) \|", result.stdout, flags=re.MULTILINE)
    self.assertEqual(sum(int(cells_in_group) for _, cells_in_group in rows), len(cells))
    self.assertIn(("0", str(sum(cell["windows"] == 0 for cell in cells.values()))), rows)
    self.assertTrue(os.path.isfile(os.path.join(output_dir, "empowerment.png")))

  def test_a_bad_coverage_scale_is_one_error_line(self):
    result = _script("--coverage=near_start", "--coverage_scale=0",
                     f"--output_dir={self.create_tempdir().full_path}")
    self.assertNotEqual(result.returncode, 0)
    self.assertRegex(result.stderr.strip().splitlines()[-1],
                     r"^error: the coverage scale must be positive, got 0")


if __name__ == "__main__":
  absltest.main()
