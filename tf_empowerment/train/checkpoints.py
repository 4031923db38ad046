"""Checkpoints that survive a kill: everything a run needs to resume, saved atomically.

tf.train.CheckpointManager writes the data files first and then replaces the `checkpoint`
index file atomically, so a run killed mid-save resumes from the last complete checkpoint.
The greedy policy SavedModel is written to a temporary directory and renamed into place.
"""
import os
import shutil

from absl import logging
import tensorflow as tf
from tf_agents.policies import policy_saver


class RunCheckpointer:
  """Saves and restores the trackable objects of a run under `root_dir/checkpoints`."""

  def __init__(self, root_dir, max_to_keep=2, **trackables):
    self._checkpoint = tf.train.Checkpoint(**trackables)
    self._manager = tf.train.CheckpointManager(
        self._checkpoint, os.path.join(root_dir, "checkpoints"), max_to_keep=max_to_keep)

  def restore(self):
    """Restores the latest complete checkpoint; returns its path, or None for a new run."""
    latest = self._manager.latest_checkpoint
    if latest is not None:
      self._checkpoint.restore(latest).assert_existing_objects_matched()
    return latest

  def save(self, step):
    """Saves a checkpoint numbered by `step`; returns its path."""
    return self._manager.save(checkpoint_number=step)


def export_policy(policy, export_dir, train_step):
  """Writes `policy` as a SavedModel to `export_dir`, replacing any earlier export whole."""
  staging_dir = export_dir + ".partial"
  shutil.rmtree(staging_dir, ignore_errors=True)
  policy_saver.PolicySaver(policy, batch_size=None, train_step=train_step).save(staging_dir)
  previous_dir = export_dir + ".previous"
  shutil.rmtree(previous_dir, ignore_errors=True)
  if os.path.exists(export_dir):
    os.rename(export_dir, previous_dir)
  os.rename(staging_dir, export_dir)
  shutil.rmtree(previous_dir, ignore_errors=True)
