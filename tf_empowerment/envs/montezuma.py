"""Montezuma's Revenge: the room and the agent's position from RAM, and rooms visited.

RAM byte 3 is the current room (the game starts in room 1); bytes 42 and 43 are the agent's
x and y on screen. Exploration progress in this game is usually reported as rooms visited.
"""
import gymnasium
import numpy as np

from tf_empowerment.envs import atari

GAME = "montezuma_revenge"
ROOM_BYTE, X_BYTE, Y_BYTE = 3, 42, 43
FIRST_ROOM = 1
# RAM (x, y) -> screen (column, row) of the centre of the agent's red body: unit slopes, offsets
# the median over 1,800 steps of the first room (walking, climbing, jumping, falling), within 4
# columns and 6 rows of the sprite at every step.
_SCREEN_COLUMN_OFFSET, _SCREEN_ROW_OFFSET = 2.9, 318.2


def screen_position(x, y):
  """The screen (column, row) in the 210 x 160 ALE frame of RAM position (x, y)."""
  return np.asarray(x) + _SCREEN_COLUMN_OFFSET, _SCREEN_ROW_OFFSET - np.asarray(y)


def first_room_frame():
  """The RGB frame [210, 160, 3] of the first room at the start of a game."""
  env = atari.AtariGameEnv(GAME, sticky_action_prob=0.0, frameskip=1, max_episode_frames=1,
                           noop_max=0, full_action_space=False)
  env.reset(seed=0)
  return env.ale.getScreenRGB()


class MontezumaInfo(gymnasium.Wrapper):
  """Adds `room`, `x`, `y` and `rooms_visited` (this episode) to every step's info.

  Wraps an `atari.AtariGameEnv`, whose `ale` gives the RAM.
  """

  episode_info_keys = ("rooms_visited",)

  def __init__(self, env):
    super().__init__(env)
    self._ram = np.zeros(self.unwrapped.ale.getRAMSize(), np.uint8)
    self._rooms = set()

  def _add_ram_info(self, info):
    self.unwrapped.ale.getRAM(self._ram)
    room = int(self._ram[ROOM_BYTE])
    self._rooms.add(room)
    info.update(room=room, x=int(self._ram[X_BYTE]), y=int(self._ram[Y_BYTE]),
                rooms_visited=len(self._rooms))
    return info

  def reset(self, *, seed=None, options=None):
    observation, info = self.env.reset(seed=seed, options=options)
    self._rooms.clear()
    return observation, self._add_ram_info(info)

  def step(self, action):
    observation, reward, terminated, truncated, info = self.env.step(action)
    return observation, reward, terminated, truncated, self._add_ram_info(info)
