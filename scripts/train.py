"""Trains a DQN agent (optionally empowerment-driven) from gin files.

  python scripts/train.py --gin_file=gin/gridworld_dqn.gin --root_dir=runs/grid

Rerunning the same command with the same --root_dir resumes from the last checkpoint.
"""
import sys

from tf_empowerment.train import quiet_logs

quiet_logs.silence_library_noise()

# pylint: disable=g-import-not-at-top,wrong-import-position
from absl import app
from absl import flags
from absl import logging

import tf_empowerment.configurables  # pylint: disable=unused-import
from tf_empowerment.train import config
from tf_empowerment.train import runner as runner_lib
# pylint: enable=g-import-not-at-top,wrong-import-position

flags.DEFINE_multi_string("gin_file", [], "Gin files with the experiment's configuration.")
flags.DEFINE_multi_string("gin_bindings", [], "Gin bindings overriding the files, e.g. "
                          "'Runner.num_agent_steps = 1000'.")
flags.DEFINE_string("root_dir", None, "Directory for checkpoints, summaries and the policy.")
flags.DEFINE_string("profile_steps", None, "START,END: trace agent steps [START, END) with the "
                    "TensorBoard profiler into ROOT_DIR/profile.")
flags.mark_flag_as_required("root_dir")
FLAGS = flags.FLAGS


def main(argv):
  del argv
  try:
    config.parse_gin(FLAGS.gin_file, FLAGS.gin_bindings)
    config.configure_threads()
    runner = runner_lib.Runner(root_dir=FLAGS.root_dir,
                               profile_steps=config.parse_step_range(FLAGS.profile_steps))
  except (config.ConfigError, ValueError, OSError, TypeError) as error:
    sys.exit(f"error: {config.one_line(error)}")
  logging.info("Operative gin configuration:\n%s", config.save_operative_config(FLAGS.root_dir))
  runner.run()


if __name__ == "__main__":
  app.run(main)
