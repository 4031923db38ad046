"""gymnasium -> TF-Agents: a single env or a vector env as a `PyEnvironment`.

Episode ends follow TF-Agents' conventions: `terminated` is LAST with discount 0; `truncated`
alone (a time limit) is LAST with discount 1, so the learner still bootstraps; when both are
set, termination wins. The step after LAST is a FIRST from a reset, its action ignored.
Both adapters count each finished episode's return and length (plus any scalar info entries
named in `episode_info_keys`) for `episode_metrics()`, which the trainer drains after collecting.
"""
import gymnasium
from gymnasium import spaces
from gymnasium.vector import AutoresetMode
import numpy as np
from tf_agents.environments import py_environment
from tf_agents.specs import array_spec
from tf_agents.trajectories import time_step as ts


def space_to_spec(space, name):
  """A gymnasium Box or Discrete space as a TF-Agents BoundedArraySpec (Discrete: int32, from 0)."""
  if isinstance(space, spaces.Discrete):
    if space.start != 0:
      raise ValueError(f"{name}: Discrete spaces must start at 0, got start={space.start}")
    return array_spec.BoundedArraySpec((), np.int32, minimum=0, maximum=int(space.n) - 1,
                                       name=name)
  if isinstance(space, spaces.Box):
    return array_spec.BoundedArraySpec(space.shape, space.dtype, *_compact(space.low, space.high),
                                       name=name)
  raise ValueError(f"{name}: unsupported gymnasium space {space}; use Box or Discrete")


def _compact(low, high):
  """A Box's bounds as scalars when both are uniform, else both arrays (TF-Agents' sampling
  of a spec fails on a scalar bound beside an array one)."""
  if all(bound.size and np.all(bound == np.ravel(bound)[0]) for bound in (low, high)):
    return np.ravel(low)[0], np.ravel(high)[0]
  return low, high


def _time_step(observation, reward, terminated, truncated, first):
  """A TimeStep from gymnasium step results; arrays of any (equal) shape, e.g. [] or [batch]."""
  step_type = np.where(first, ts.StepType.FIRST,
                       np.where(terminated | truncated, ts.StepType.LAST, ts.StepType.MID))
  discount = np.where(terminated & ~first, 0.0, 1.0)
  reward = np.where(first, 0.0, reward)
  return ts.TimeStep(step_type.astype(np.int32), reward.astype(np.float32),
                     discount.astype(np.float32), observation)


class _EpisodeRecorder:
  """Return and length of each sub-env's running episode; the metrics of finished ones."""

  def __init__(self, batch_size, info_keys):
    self._returns = np.zeros(batch_size, np.float64)
    self._lengths = np.zeros(batch_size, np.int64)
    self._info_keys = tuple(info_keys)
    self._finished = []

  def restart(self, mask=slice(None)):
    """Starts new episodes where `mask` [batch] is set (default: everywhere)."""
    self._returns[mask] = 0.0
    self._lengths[mask] = 0

  def record(self, reward, ended, info):
    """Adds one step (`reward`, `ended` [batch]); `info[key][i]` gives sub-env i's metrics."""
    self._returns += reward
    self._lengths += 1
    for i in np.flatnonzero(ended):
      episode = {"return": float(self._returns[i]), "length": int(self._lengths[i])}
      episode.update((key, float(info[key][i])) for key in self._info_keys)
      self._finished.append(episode)

  def pop(self):
    finished, self._finished = self._finished, []
    return finished


class _GymAdapter(py_environment.PyEnvironment):
  """What both adapters share: specs, seeding, frames_per_step, info and episode metrics."""

  def __init__(self, env, observation_space, action_space, batch_size, seed, frames_per_step,
               episode_info_keys, handle_auto_reset):
    super().__init__(handle_auto_reset=handle_auto_reset)
    self._env = env
    self._seed = seed
    self._frames_per_step = frames_per_step
    self._observation_spec = space_to_spec(observation_space, "observation")
    self._action_spec = space_to_spec(action_space, "action")
    self._recorder = _EpisodeRecorder(batch_size, episode_info_keys)
    self._info = {}
    env.action_space.seed(seed)

  @property
  def gym_env(self):
    """The wrapped gymnasium env or vector env, e.g. for env-specific accessors."""
    return self._env

  @property
  def frames_per_step(self):
    """Emulator frames one step advances (Atari frameskip, else 1), for frames/s summaries."""
    return self._frames_per_step

  def observation_spec(self):
    return self._observation_spec

  def action_spec(self):
    return self._action_spec

  def get_info(self):
    """The gymnasium info dict of the latest reset or step (arrays [batch] when batched)."""
    return self._info

  def episode_metrics(self):
    """Dicts of `return`, `length` and info metrics, one per episode since the last call."""
    return self._recorder.pop()

  def reseed(self, seed):
    """Seeds the next reset (sub-env i with `seed + i`) and the action space, e.g. on resume."""
    self._seed = seed
    self._env.action_space.seed(seed)

  def _reset_env(self):
    """Resets the gymnasium env (seeded the first time) and the episode counts."""
    observation, self._info = self._env.reset(seed=self._seed)
    self._seed = None
    self._recorder.restart()
    return observation

  def close(self):
    self._env.close()


class GymEnvironment(_GymAdapter):
  """A single `gymnasium.Env` as an unbatched TF-Agents `PyEnvironment`.

  `seed` seeds the first reset and the action space.
  """

  def __init__(self, env, seed=None, frames_per_step=1, episode_info_keys=()):
    super().__init__(env, env.observation_space, env.action_space, 1, seed, frames_per_step,
                     episode_info_keys, handle_auto_reset=True)

  def _reset(self):
    false = np.asarray(False)
    return _time_step(self._reset_env(), np.asarray(0.0), false, false, np.asarray(True))

  def _step(self, action):
    observation, reward, terminated, truncated, self._info = self._env.step(action)
    ended = terminated or truncated
    batch_of_one = {key: [value] for key, value in self._info.items()} if ended else None
    self._recorder.record(reward, [ended], batch_of_one)
    return _time_step(observation, np.asarray(reward), np.asarray(terminated),
                      np.asarray(truncated), np.asarray(False))


class BatchedGymEnvironment(_GymAdapter):
  """A gymnasium vector env (NEXT_STEP autoreset) as a batched TF-Agents `PyEnvironment`.

  Sub-env i is seeded with `seed + i` on the first reset. After a sub-env's LAST step, the
  vector env resets it on the next step, ignoring its action: that step is its FIRST.
  """

  def __init__(self, env, seed=None, frames_per_step=1, episode_info_keys=()):
    mode = env.metadata.get("autoreset_mode")
    if mode != AutoresetMode.NEXT_STEP:
      raise ValueError(f"BatchedGymEnvironment needs a NEXT_STEP autoreset vector env, got {mode}")
    super().__init__(env, env.single_observation_space, env.single_action_space, env.num_envs,
                     seed, frames_per_step, episode_info_keys, handle_auto_reset=False)
    self._ended = np.zeros(env.num_envs, bool)

  @property
  def batched(self):
    return True

  @property
  def batch_size(self):
    return self._env.num_envs

  def _reset(self):
    self._ended[:] = False
    false = np.zeros(self.batch_size, bool)
    return _time_step(self._reset_env(), np.zeros(self.batch_size), false, false, ~false)

  def _step(self, action):
    observation, reward, terminated, truncated, self._info = self._env.step(np.asarray(action))
    first = self._ended
    self._ended = (terminated | truncated) & ~first
    self._recorder.record(reward, self._ended, self._info)
    self._recorder.restart(first)
    return _time_step(observation, reward, terminated, truncated, first)


def make_vector_env(env_fns):
  """A synchronous gymnasium vector env with NEXT_STEP autoreset over `env_fns`."""
  return gymnasium.vector.SyncVectorEnv(env_fns, autoreset_mode=AutoresetMode.NEXT_STEP)
