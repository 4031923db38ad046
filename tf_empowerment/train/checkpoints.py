"""Checkpoints that survive a kill: everything a run needs to resume, saved atomically.

tf.train.CheckpointManager writes the data files first and then replaces the `checkpoint`
index file atomically, so a run killed mid-save resumes from the last complete checkpoint.
Restoring checks that the checkpoint holds exactly the run's variables, and steps back past a
checkpoint whose files were damaged after the fact (a full disk, a bad copy).
The greedy policy SavedModel is written to a temporary directory and renamed into place.
"""
import collections
import os
import shutil

from absl import logging
import tensorflow as tf
from tensorflow.core.protobuf import trackable_object_graph_pb2
from tf_agents.policies import policy_saver

from tf_empowerment.train import config

# How damaged files fail to read: the reader's OpErrors (a bad checksum or index, a missing
# file), and IndexError for a data file cut short.
_UNREADABLE = (tf.errors.OpError, IndexError)


class IncompatibleCheckpointError(ValueError):
  """A checkpoint of another configuration: a variable missing, extra or of another shape."""


class UnreadableCheckpointsError(OSError):
  """None of a run's checkpoints can be read."""


class RunCheckpointer:
  """Saves and restores the trackable objects of a run under `root_dir/checkpoints`.

  Not tf_agents.utils.common.Checkpointer: it restores the latest checkpoint as it is
  constructed, into variables as they get created, so it can neither check a checkpoint
  against the run's finished set of variables nor step back to an earlier one.
  """

  def __init__(self, root_dir, max_to_keep=2, **trackables):
    if max_to_keep < 2:
      raise ValueError("RunCheckpointer.max_to_keep must be at least 2 to step back from a "
                       f"damaged checkpoint, got {max_to_keep}")
    self._checkpoint = tf.train.Checkpoint(**trackables)
    # Created now, as restoring would, so a saved save_counter finds its variable.
    self._checkpoint.save_counter  # pylint: disable=pointless-statement
    self._manager = tf.train.CheckpointManager(
        self._checkpoint, os.path.join(root_dir, "checkpoints"), max_to_keep=max_to_keep)

  def restore(self):
    """Restores the newest readable checkpoint; returns its path, or None for a new run.

    Call it once every variable exists (build the optimizers first). A checkpoint that does
    not hold exactly those variables, with their shapes, raises IncompatibleCheckpointError
    and is never stepped past. An unreadable one is skipped with a warning; the next restore
    assigns every variable, so nothing of a failed one remains. UnreadableCheckpointsError
    when none can be read.
    """
    skipped = []
    for path in reversed(self._manager.checkpoints):
      try:
        self._restore_from(path)
        return path
      except _UNREADABLE as error:
        logging.warning("Skipping unreadable checkpoint %s: %s: %s", path,
                        type(error).__name__, config.one_line(error))
        skipped.append(os.path.basename(path))
    if skipped:
      raise UnreadableCheckpointsError(f"no checkpoint in {self._manager.directory} can be "
                                       f"read; damaged: {', '.join(skipped)}")
    return None

  def _restore_from(self, path):
    """Restores `path` after checking it fits; raises IncompatibleCheckpointError if not."""
    mismatch = _first_mismatch(self._checkpoint, tf.train.load_checkpoint(path))
    if mismatch is None:
      try:
        self._checkpoint.restore(path).assert_consumed()
        return
      except AssertionError as error:  # A mismatch of something other than a variable.
        mismatch = config.one_line(error)
    raise IncompatibleCheckpointError(
        f"checkpoint {path} is of another configuration: {mismatch}")

  @property
  def latest(self):
    """The path of the newest checkpoint, or None."""
    return self._manager.latest_checkpoint

  def save(self, step):
    """Saves a checkpoint numbered by `step`; returns its path."""
    return self._manager.save(checkpoint_number=step)


def _first_mismatch(root, reader):
  """How `root`'s objects first differ from those saved in `reader`'s checkpoint, or None.

  Walks both object graphs side by side by child name, as restoring matches them, breadth
  first, to name a variable that is missing, extra or of another shape by its shortest path.
  """
  graph = trackable_object_graph_pb2.TrackableObjectGraph.FromString(
      reader.get_tensor("_CHECKPOINTABLE_OBJECT_GRAPH"))
  shapes = reader.get_variable_to_shape_map()
  to_visit, visited = collections.deque([("", root, 0)]), set()
  while to_visit:
    path, trackable, node_id = to_visit.popleft()
    if node_id in visited:
      continue
    visited.add(node_id)
    node = graph.nodes[node_id]
    if isinstance(trackable, tf.Variable):
      saved = shapes.get(node.attributes[0].checkpoint_key) if node.attributes else None
      if saved is None:
        return f"{path} is not a variable in the checkpoint"
      if not trackable.shape.is_compatible_with(saved):
        return (f"{path} has shape {tf.TensorShape(saved)} in the checkpoint but "
                f"{trackable.shape} in this run")
    children = tf.train.TrackableView.children(trackable)
    saved_children = {child.local_name: child.node_id for child in node.children}
    for name in sorted(children.keys() - saved_children.keys()):
      if _holds_variables(children[name]):
        return f"{_child_path(path, name)} is not in the checkpoint"
    for name in sorted(saved_children.keys() - children.keys()):
      if _holds_values(graph, saved_children[name]):
        return f"{_child_path(path, name)} is in the checkpoint but not in this run"
    to_visit.extend((_child_path(path, name), children[name], saved_children[name])
                    for name in sorted(children.keys() & saved_children.keys()))
  return None


def _child_path(path, name):
  return f"{path}/{name}" if path else name


def _holds_variables(trackable):
  return any(isinstance(descendant, tf.Variable)
             for descendant in tf.train.TrackableView(trackable).descendants())


def _holds_values(graph, node_id):
  """Whether the saved object `node_id` or one below it has saved values."""
  to_visit, visited = [node_id], set()
  while to_visit:
    node_id = to_visit.pop()
    if node_id in visited:
      continue
    visited.add(node_id)
    if graph.nodes[node_id].attributes:
      return True
    to_visit.extend(child.node_id for child in graph.nodes[node_id].children)
  return False


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
