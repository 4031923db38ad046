"""Atari games (ALE) under the Machado et al. (2018) protocol as a batched TF-Agents environment.

Defaults: sticky actions with p = 0.25 (at every emulator frame the previous action repeats
with that probability), frameskip 4 with the observation a max over the last two frames, 84x84
grayscale, a stack of the last 4 observations (channel-last; older ones are zero after a reset),
episodes capped at 108,000 frames (truncation, discount 1), no no-op starts, no life-loss
terminal and unclipped rewards (the agent clips). The minimal action set is the default, as in
Dopamine; the paper recommends the full one (for Montezuma's Revenge both have 18 actions).

Two backends give the same observations (to within 1 grey level, tested): ale_py's C++
AtariVectorEnv (threaded; ~1,500 agent steps/s for one game on a 2-core CPU) and
`AtariGameEnv`, one ALEInterface per game with numpy preprocessing (~1,200-1,400 steps/s),
used when a wrapper needs the RAM (Montezuma's room): AtariVectorEnv exposes no RAM.
"""
import ale_py
from ale_py import roms
from ale_py.vector_env import AtariVectorEnv
import gin
import gymnasium
from gymnasium import spaces
from gymnasium.wrappers.vector import TransformObservation
import numpy as np

from tf_empowerment.envs import gym_adapter

FRAME_SIZE = 84
STACK_SIZE = 4
OBSERVATION_SPACE = spaces.Box(0, 255, (FRAME_SIZE, FRAME_SIZE, STACK_SIZE), np.uint8)


def area_weights(size_in, size_out):
  """float32 [size_out, size_in]: output pixel i averages the input pixels under its footprint.

  `weights_rows @ frame @ weights_cols.T` resamples a frame by area averaging (as OpenCV's
  INTER_AREA does for shrinking), with no OpenCV.
  """
  scale = size_in / size_out
  low = np.arange(size_out)[:, None] * scale
  pixel = np.arange(size_in)[None, :]
  overlap = np.minimum(low + scale, pixel + 1) - np.maximum(low, pixel)
  return (np.clip(overlap, 0.0, None) / scale).astype(np.float32)


class AtariGameEnv(gymnasium.Env):
  """One ALE game with the protocol's preprocessing in numpy; `ale` gives wrappers the RAM.

  Observations uint8 [84, 84, 4]; `noop_max` no-op frames (uniform in [0, noop_max]) follow
  each reset. Use through `AtariEnvironment`, which holds the protocol's defaults.
  """

  metadata = {"render_modes": []}

  def __init__(self, game, *, sticky_action_prob, frameskip, max_episode_frames, noop_max,
               full_action_space):
    self._rom_path = roms.get_rom_path(game)
    self._frameskip = frameskip
    self._noop_max = noop_max
    self.ale = ale_py.ALEInterface()
    self.ale.setLoggerMode(ale_py.LoggerMode.Error)
    self.ale.setFloat("repeat_action_probability", sticky_action_prob)
    self.ale.setInt("max_num_frames_per_episode", max_episode_frames)
    self._load_rom(seed=None)
    self._actions = (self.ale.getLegalActionSet() if full_action_space
                     else self.ale.getMinimalActionSet())
    self.action_space = spaces.Discrete(len(self._actions))
    self.observation_space = OBSERVATION_SPACE
    height, width = self.ale.getScreenDims()
    self._screens = np.zeros((2, height, width), np.uint8)  # the last two frames, alternating
    self._latest = 0
    self._weights_rows = area_weights(height, FRAME_SIZE)
    self._weights_cols = area_weights(width, FRAME_SIZE).T
    self._frames = np.zeros((STACK_SIZE, FRAME_SIZE, FRAME_SIZE), np.uint8)  # a ring buffer
    self._oldest = 0

  def _load_rom(self, seed):
    """(Re)loads the ROM with ALE's RNG (sticky actions) seeded from `seed`, None: fresh."""
    self.ale.setInt("random_seed", int(np.random.SeedSequence(seed).generate_state(1)[0] >> 1))
    self.ale.loadROM(self._rom_path)

  def _grab_screen(self):
    self._latest ^= 1
    self.ale.getScreenGrayscale(self._screens[self._latest])

  def _push_frame(self):
    """Max-pools the last two frames, resizes to 84x84, stacks: uint8 [84, 84, 4], newest last."""
    pooled = np.maximum(self._screens[0], self._screens[1]).astype(np.float32)
    small = self._weights_rows @ pooled @ self._weights_cols
    self._frames[self._oldest] = (small + 0.5).astype(np.uint8)
    self._oldest = (self._oldest + 1) % STACK_SIZE
    return np.stack([self._frames[(self._oldest + k) % STACK_SIZE] for k in range(STACK_SIZE)],
                    axis=-1)

  def _info(self):
    return {"lives": self.ale.lives(), "episode_frame_number": self.ale.getEpisodeFrameNumber()}

  def reset(self, *, seed=None, options=None):
    super().reset(seed=seed)
    if seed is not None:
      self._load_rom(seed)
    self.ale.reset_game()
    for _ in range(self.np_random.integers(0, self._noop_max + 1)):
      self.ale.act(ale_py.Action.NOOP)
      if self.ale.game_over():
        self.ale.reset_game()
    self._grab_screen()
    self._screens[self._latest ^ 1] = self._screens[self._latest]
    self._frames[:] = 0
    return self._push_frame(), self._info()

  def step(self, action):
    reward = 0
    for _ in range(self._frameskip):
      reward += self.ale.act(self._actions[action])
      self._grab_screen()
      if self.ale.game_over():
        break
    terminated = self.ale.game_over(with_truncation=False)
    truncated = self.ale.game_truncated()
    return self._push_frame(), float(reward), terminated, truncated, self._info()


def _channels_last(observations):
  """AtariVectorEnv's [batch, stack, 84, 84] as [batch, 84, 84, stack]."""
  return np.ascontiguousarray(observations.transpose(0, 2, 3, 1))


@gin.configurable
class AtariEnvironment(gym_adapter.BatchedGymEnvironment):
  """`num_envs` copies of an ALE game (ROM name, e.g. "montezuma_revenge"), batched.

  Observations uint8 [num_envs, 84, 84, 4]; sub-env i is seeded with `seed + i`.
  `wrapper`, when given, is a gymnasium.Wrapper class applied to each `AtariGameEnv` (it may read
  `env.unwrapped.ale.getRAM()`); its `episode_info_keys` reach `episode_metrics()`. Without one,
  the games run in ale_py's C++ AtariVectorEnv.
  """

  def __init__(self, game, num_envs=1, seed=0, sticky_action_prob=0.25, frameskip=4,
               max_episode_frames=108_000, noop_max=0, full_action_space=False, wrapper=None):
    _check(game in roms.get_all_rom_ids(), "game must be an ALE ROM name", repr(game))
    _check(num_envs >= 1, "num_envs must be >= 1", num_envs)
    _check(0.0 <= sticky_action_prob <= 1.0, "sticky_action_prob must be in [0, 1]",
           sticky_action_prob)
    _check(frameskip >= 1, "frameskip must be >= 1", frameskip)
    _check(max_episode_frames >= 1, "max_episode_frames must be >= 1", max_episode_frames)
    _check(noop_max >= 0, "noop_max must be >= 0", noop_max)
    if wrapper is None:
      env = TransformObservation(
          AtariVectorEnv(game, num_envs, max_num_frames_per_episode=max_episode_frames,
                         repeat_action_probability=sticky_action_prob,
                         full_action_space=full_action_space, img_height=FRAME_SIZE,
                         img_width=FRAME_SIZE, stack_num=STACK_SIZE, frameskip=frameskip,
                         noop_max=noop_max, reward_clipping=False, use_fire_reset=False),
          _channels_last, single_observation_space=OBSERVATION_SPACE)
      info_keys = ()
    else:
      def make_game():
        return wrapper(AtariGameEnv(
            game, sticky_action_prob=sticky_action_prob, frameskip=frameskip,
            max_episode_frames=max_episode_frames, noop_max=noop_max,
            full_action_space=full_action_space))
      env = gym_adapter.make_vector_env([make_game] * num_envs)
      info_keys = wrapper.episode_info_keys
    super().__init__(env, seed=seed, frames_per_step=frameskip, episode_info_keys=info_keys)


def _check(condition, message, value):
  if not condition:
    raise ValueError(f"AtariEnvironment.{message}, got {value}")
