"""The replay server: Reverb tables for the actors' experience and the learner's variables.

One uniform replay table of windows (FIFO removal at the run's replay capacity; what an item
holds: replay_items), whose SampleToInsertRatio rate limiter holds the in-process ratio of
sampled windows to collected agent steps across all actors; one single-item table through
which the learner pushes the policy variables and its train step (TF-Agents'
ReverbVariableContainer); and, for a run with an intrinsic reward, the queue of collected
steps the learner observes. Reverb's
DefaultCheckpointer writes the tables under root_dir/replay_checkpoints when the learner
saves, and a restarted server loads the last complete one.
"""
import os

import gin
import reverb
import tensorflow as tf
from tf_agents.experimental.distributed import reverb_variable_container
from tf_agents.replay_buffers import reverb_replay_buffer
from tf_agents.specs import tensor_spec

REPLAY_TABLE = reverb_replay_buffer.DEFAULT_TABLE
VARIABLE_TABLE = reverb_variable_container.DEFAULT_TABLE
OBSERVE_TABLE = "observe"
CHECKPOINT_DIR = "replay_checkpoints"


@gin.configurable(denylist=["settings", "items", "variables", "observed"])
def replay_tables(settings, items, variables, observed=False, capacity=None, tolerance=None,
                  observe_queue=1_000):
  """The server's tables for a run of `settings` (distributed.settings.RunSettings).

  Items are windows of steps as `items` (replay_items.StepWindows) stores them, one per
  collected agent step; `capacity` (None: the run's create_replay_buffer.capacity) of them are
  kept. Sampling waits for the run's `learning_starts` items, then for
  `settings.samples_per_insert` windows per insert; `tolerance` agent steps (None: a tenth of
  learning_starts, at least 1) is how far actors and learner may drift from that ratio before
  the one ahead waits.
  `variables` is the nest of variables the learner pushes. With `observed` (a run with an
  intrinsic reward), a FIFO queue of up to `observe_queue` batched steps [num_envs], each
  taken once, carries every collected step to the learner's `observe`.
  """
  capacity = settings.capacity if capacity is None else capacity
  tolerance = max(settings.learning_starts // 10, 1) if tolerance is None else tolerance
  if tolerance < 1 or capacity < 1:
    raise ValueError(f"replay_tables.capacity and tolerance must be positive, got {capacity} "
                     f"and {tolerance}")
  samples_per_insert = settings.samples_per_insert
  rate_limiter = reverb.rate_limiters.SampleToInsertRatio(
      samples_per_insert=samples_per_insert,
      min_size_to_sample=max(settings.learning_starts, 1),
      error_buffer=max(tolerance * samples_per_insert, 1.0))
  replay = reverb.Table(
      name=REPLAY_TABLE, sampler=reverb.selectors.Uniform(), remover=reverb.selectors.Fifo(),
      max_size=capacity, rate_limiter=rate_limiter, max_times_sampled=0,
      signature=items.signature())
  variable_table = reverb.Table(
      name=VARIABLE_TABLE, sampler=reverb.selectors.Uniform(), remover=reverb.selectors.Fifo(),
      max_size=1, rate_limiter=reverb.rate_limiters.MinSize(1), max_times_sampled=0,
      signature=tf.nest.map_structure(lambda v: tf.TensorSpec(v.shape, v.dtype), variables))
  if not observed:
    return [replay, variable_table]
  observe = reverb.Table(
      name=OBSERVE_TABLE, sampler=reverb.selectors.Fifo(), remover=reverb.selectors.Fifo(),
      max_size=observe_queue, rate_limiter=reverb.rate_limiters.Queue(observe_queue),
      max_times_sampled=1,
      signature=tensor_spec.add_outer_dim(tensor_spec.from_spec(items.trajectory_spec),
                                          settings.num_envs))
  return [replay, variable_table, observe]


def start(tables, port, root_dir):
  """A Reverb server of `tables` on `port`, checkpointing under root_dir/replay_checkpoints
  and restoring the last complete checkpoint there.

  Reverb 0.14 serves unauthenticated gRPC on every interface of the process ([::]:port): it
  has no option to listen on loopback alone (see replay_job.serve and distributed.isolation).
  """
  checkpointer = reverb.checkpointers.DefaultCheckpointer(os.path.join(root_dir, CHECKPOINT_DIR))
  return reverb.Server(tables, port=port, checkpointer=checkpointer)
