"""Trains a DQN agent (optionally with an intrinsic reward) from gin files.

  python scripts/train.py --gin_file=gin/montezuma_mine.gin     # under runs/montezuma_mine
  python scripts/train.py --gin_file=gin/gridworld_dqn.gin --root_dir=runs/grid

Rerunning the same command resumes from the last checkpoint; Ctrl-C (or SIGTERM) saves and
exits with status 130 (143), so a caller (a sweep, a shell script) can tell a stopped run from a
finished one (a second signal stops at once). Problems stop the run with one line: see README's Train section.
"""
import os
import sys

from tf_empowerment.train import quiet_logs

quiet_logs.silence_library_noise()

# pylint: disable=g-import-not-at-top,wrong-import-position
from absl import app
from absl import flags
from absl import logging

import tf_empowerment.configurables  # pylint: disable=unused-import
from tf_empowerment.train import checkpoints
from tf_empowerment.train import config
from tf_empowerment.train import interrupts
from tf_empowerment.train import learner
from tf_empowerment.train import run_lock
from tf_empowerment.train import runner as runner_lib
# pylint: enable=g-import-not-at-top,wrong-import-position

flags.DEFINE_multi_string("gin_file", [], "Gin files with the experiment's configuration.")
flags.DEFINE_multi_string("gin_bindings", [], "Gin bindings overriding the files, e.g. "
                          "'Runner.num_agent_steps = 1000'.")
flags.DEFINE_string("root_dir", None, "Directory for checkpoints, summaries and the policy "
                    "(default: runs/<gin file stem>, stems joined by '+').")
flags.DEFINE_string("profile_steps", None, "START,END: trace agent steps [START, END) with the "
                    "TensorBoard profiler into ROOT_DIR/profile.")
FLAGS = flags.FLAGS
# Stop a started run with one line: the checkpoint does not fit, none can be read, it diverged.
RUN_ERRORS = (checkpoints.IncompatibleCheckpointError, checkpoints.UnreadableCheckpointsError,
              learner.DivergenceError)


def _root_dir():
  if FLAGS.root_dir:
    return FLAGS.root_dir
  if not FLAGS.gin_file:
    raise config.ConfigError("--root_dir is needed when no --gin_file names the run")
  stems = (os.path.splitext(os.path.basename(path))[0] for path in FLAGS.gin_file)
  return os.path.join("runs", "+".join(stems))


def _build(root_dir):
  config.parse_gin(FLAGS.gin_file, FLAGS.gin_bindings)
  config.configure_threads()
  return runner_lib.Runner(root_dir=root_dir,
                           profile_steps=config.parse_step_range(FLAGS.profile_steps))


def main(argv):
  del argv
  try:
    root_dir = _root_dir()
    logging.info("run directory: %s", root_dir)
    with run_lock.hold(root_dir), interrupts.StopOnInterrupt() as interrupt:
      try:
        runner = _build(root_dir)
      except (config.ConfigError, ValueError, OSError, TypeError) as error:
        sys.exit(f"error: {config.explain(error)}")
      logging.info("Operative gin configuration:\n%s", config.save_operative_config(root_dir))
      runner.run(stop_requested=lambda: interrupt.requested)
  except (config.ConfigError, run_lock.RunInUseError) + RUN_ERRORS as error:
    sys.exit(f"error: {config.one_line(error)}")
  if interrupt.requested:
    logging.info("stopped by a signal after saving; rerun the same command to resume")
    sys.exit(interrupt.exit_status)


if __name__ == "__main__":
  app.run(main)
