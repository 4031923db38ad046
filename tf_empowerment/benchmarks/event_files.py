"""Reading a run's TensorBoard event files back, for benchmarks and studies."""
import glob
import os

import numpy as np
import tensorflow as tf


def read_scalars(events_dir):
  """Tag -> (steps [n], values [n]) sorted by step, of the scalars in `events_dir`'s events."""
  series = {}
  for path in glob.glob(os.path.join(events_dir, "events.out.tfevents.*")):
    for event in tf.compat.v1.train.summary_iterator(path):
      for value in event.summary.value:
        if value.metadata.plugin_data.plugin_name != "scalars":
          continue
        series.setdefault(value.tag, []).append(
            (event.step, float(tf.make_ndarray(value.tensor))))
  return {tag: tuple(np.array(column) for column in zip(*sorted(points)))
          for tag, points in series.items()}
