"""Reading runs' event files back: scalars by step, and the hours spent writing them."""
import time

from absl.testing import absltest
import numpy as np
import tensorflow as tf

from tf_empowerment.benchmarks import event_files


def _write(directory, steps, pause):
  """One writer (one event file, as one process of a run) writing `steps`, `pause` s apart;
  returns the seconds it took, creation to close."""
  start = time.time()
  writer = tf.summary.create_file_writer(directory)
  with writer.as_default():
    for step in steps:
      tf.summary.scalar("loss", float(step), step=step)
      writer.flush()
      time.sleep(pause)
  writer.close()
  return time.time() - start


class EventFilesTest(absltest.TestCase):

  def test_scalars_of_every_file_sorted_by_step_and_hours_without_the_gap(self):
    directory = self.create_tempdir().full_path
    writing = _write(directory, [3, 4], pause=0.3)
    time.sleep(4.0)  # the run stopped; resumed below in a new process's file
    writing += _write(directory, [1, 2], pause=0.3)
    steps, values = event_files.read_scalars(directory)["loss"]
    np.testing.assert_array_equal(steps, [1, 2, 3, 4])
    np.testing.assert_array_equal(values, [1.0, 2.0, 3.0, 4.0])
    seconds = event_files.logged_hours(directory) * 3600
    # A file's first event has whole seconds (up to 1 s early); the 4 s gap is not counted.
    self.assertBetween(seconds, 2 * 0.3, writing + 2 * 1.0)

  def test_no_event_files_is_zero_hours(self):
    self.assertEqual(event_files.logged_hours(self.create_tempdir().full_path), 0.0)


if __name__ == "__main__":
  absltest.main()
