"""Montezuma's Revenge: the room and the agent's position from RAM, and rooms visited.

RAM byte 3 is the current room (the game starts in room 1); bytes 42 and 43 are the agent's
x and y on screen. Exploration progress in this game is usually reported as rooms visited.
"""
import gymnasium
import numpy as np

GAME = "montezuma_revenge"
ROOM_BYTE, X_BYTE, Y_BYTE = 3, 42, 43


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
