"""The trainer's replay buffer: TF-Agents' uniform buffer, or another with its constructor."""
import gin
from tf_agents.replay_buffers import tf_uniform_replay_buffer


@gin.configurable
def create_replay_buffer(data_spec, num_envs,
                         buffer_fn=tf_uniform_replay_buffer.TFUniformReplayBuffer,
                         capacity=100_000):
  """A buffer of `capacity` transitions over all `num_envs` environments.

  `buffer_fn` takes TFUniformReplayBuffer's (data_spec, batch_size, max_length), e.g.
  @FrameStackReplayBuffer for frame stacks stored once per frame.
  """
  if not isinstance(capacity, int) or capacity < num_envs:
    raise ValueError(f"create_replay_buffer.capacity must be an integer >= num_envs "
                     f"({num_envs}), got {capacity!r}")
  return buffer_fn(data_spec, batch_size=num_envs, max_length=capacity // num_envs)
