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


def logged_hours(events_dir):
  """Hours a run spent writing `events_dir`: each event file's span from its first event (the
  writer's creation, in whole seconds) to its last, summed over the files, one per process, so
  the gaps between a stopped run and its resumption do not count. 0 without event files."""
  seconds = 0.0
  for path in glob.glob(os.path.join(events_dir, "events.out.tfevents.*")):
    times = [event.wall_time for event in tf.compat.v1.train.summary_iterator(path)]
    seconds += max(times) - min(times) if times else 0.0
  return seconds / 3600
