"""Every gin file in gin/ parses against the registered configurables, with the benchmark
task files read after a config as scripts/benchmark_exploration.py reads them."""
import glob
import os

from absl.testing import absltest
from absl.testing import parameterized
import gin

import tf_empowerment.configurables  # pylint: disable=unused-import
from tf_empowerment.train import config

GIN_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "gin")
GIN_FILES = sorted(os.path.basename(path) for path in glob.glob(os.path.join(GIN_DIR, "*.gin")))


class GinFilesTest(parameterized.TestCase):

  def setUp(self):
    super().setUp()
    gin.clear_config()
    self.addCleanup(gin.clear_config)

  @parameterized.parameters(*GIN_FILES)
  def test_parses(self, name):
    files = [os.path.join(GIN_DIR, name)]
    if name.startswith("benchmark_") and name != "benchmark_exploration.gin":
      files.insert(0, os.path.join(GIN_DIR, "gridworld_dqn.gin"))
    config.parse_gin(files, [])


if __name__ == "__main__":
  absltest.main()
