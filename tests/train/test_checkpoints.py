"""Tests of RunCheckpointer with real Keras variables and real, sometimes damaged, files."""
import os

from absl.testing import absltest
import numpy as np
import tensorflow as tf

from tf_empowerment.train import checkpoints


def _trackables(units=4, extra_variable=False):
  """A built Keras layer [3 -> units], its built Adam and a step counter, as a run has."""
  model = tf.keras.Sequential([tf.keras.layers.Dense(units)])
  model.build([None, 3])
  optimizer = tf.keras.optimizers.Adam()
  optimizer.build(model.trainable_variables)
  trackables = dict(model=model, optimizer=optimizer, step=tf.Variable(0, dtype=tf.int64))
  if extra_variable:
    trackables["normaliser"] = tf.Module()
    trackables["normaliser"].mean = tf.Variable(tf.zeros([3]))
  return trackables


def _variables(trackables):
  return [variable for trackable in trackables.values()
          for variable in tf.train.TrackableView(trackable).descendants()
          if isinstance(variable, tf.Variable)]


def _fill(trackables, value):
  """Sets every variable to `value`."""
  for variable in _variables(trackables):
    variable.assign(tf.fill(variable.shape, tf.cast(value, variable.dtype)))


def _assert_filled(test, trackables, value):
  for variable in _variables(trackables):
    test.assertTrue(np.all(variable.numpy() == value), f"{variable.name} is not {value}")


class RunCheckpointerTest(absltest.TestCase):

  def setUp(self):
    super().setUp()
    self.root_dir = self.create_tempdir().full_path

  def _save_steps(self, *steps, **trackable_args):
    """Saves one checkpoint per step, each with every variable equal to its step."""
    trackables = _trackables(**trackable_args)
    checkpointer = checkpoints.RunCheckpointer(self.root_dir, max_to_keep=3, **trackables)
    for step in steps:
      _fill(trackables, step)
      checkpointer.save(step)

  def _restore(self, **trackable_args):
    """Restores into fresh variables set to -1; returns the path and the variables."""
    trackables = _trackables(**trackable_args)
    _fill(trackables, -1)
    checkpointer = checkpoints.RunCheckpointer(self.root_dir, max_to_keep=3, **trackables)
    return checkpointer.restore(), trackables

  def _path(self, step):
    return os.path.join(self.root_dir, "checkpoints", f"ckpt-{step}")

  def test_a_new_run_restores_nothing(self):
    path, trackables = self._restore()
    self.assertIsNone(path)
    _assert_filled(self, trackables, -1)

  def test_restores_every_variable_of_the_latest(self):
    self._save_steps(1, 2)
    path, trackables = self._restore()
    self.assertEqual(path, self._path(2))
    _assert_filled(self, trackables, 2)

  def test_a_truncated_latest_falls_back_to_the_previous_with_one_warning(self):
    self._save_steps(1, 2)
    data_file = self._path(2) + ".data-00000-of-00001"
    os.truncate(data_file, os.path.getsize(data_file) // 2)
    with self.assertLogs(level="WARNING") as logs:
      path, trackables = self._restore()
    self.assertEqual(path, self._path(1))
    _assert_filled(self, trackables, 1)
    self.assertLen(logs.output, 1, f"{len(logs.output)} warnings, not one")
    self.assertIn(f"Skipping unreadable checkpoint {self._path(2)}: ", logs.output[0])
    self.assertNotIn("\n", logs.output[0], "the warning is not one line")

  def test_an_unreadable_index_falls_back_past_every_damaged_checkpoint(self):
    self._save_steps(1, 2, 3)
    for step in (2, 3):
      with open(self._path(step) + ".index", "wb") as index_file:
        index_file.write(b"not an index")
    with self.assertLogs(level="WARNING") as logs:
      path, trackables = self._restore()
    self.assertEqual(path, self._path(1))
    _assert_filled(self, trackables, 1)
    self.assertLen(logs.output, 2, f"{len(logs.output)} warnings, not one per damaged one")

  def test_no_readable_checkpoint_fails_in_one_line(self):
    self._save_steps(1, 2)
    for step in (1, 2):
      os.remove(self._path(step) + ".data-00000-of-00001")
    with self.assertLogs(level="WARNING"):
      with self.assertRaisesWithLiteralMatch(
          checkpoints.UnreadableCheckpointsError,
          f"no checkpoint in {self.root_dir}/checkpoints can be read; damaged: ckpt-2, ckpt-1"):
        self._restore()

  def test_another_shape_fails_naming_the_variable_without_falling_back(self):
    self._save_steps(1, units=8)
    self._save_steps(2, units=4)
    with self.assertRaisesWithLiteralMatch(
        checkpoints.IncompatibleCheckpointError,
        f"checkpoint {self._path(2)} is of another configuration: model/layer-0/bias has "
        "shape (4,) in the checkpoint but (8,) in this run"):
      self._restore(units=8)

  def test_a_variable_missing_from_the_checkpoint_fails_naming_it(self):
    self._save_steps(1)
    with self.assertRaisesWithLiteralMatch(
        checkpoints.IncompatibleCheckpointError,
        f"checkpoint {self._path(1)} is of another configuration: normaliser is not in the "
        "checkpoint"):
      self._restore(extra_variable=True)

  def test_a_variable_extra_in_the_checkpoint_fails_naming_it(self):
    self._save_steps(1, extra_variable=True)
    with self.assertRaisesWithLiteralMatch(
        checkpoints.IncompatibleCheckpointError,
        f"checkpoint {self._path(1)} is of another configuration: normaliser is in the "
        "checkpoint but not in this run"):
      self._restore()

  def test_rejects_keeping_fewer_than_two(self):
    with self.assertRaisesRegex(ValueError, "max_to_keep must be at least 2"):
      checkpoints.RunCheckpointer(self.root_dir, max_to_keep=1)


if __name__ == "__main__":
  absltest.main()
