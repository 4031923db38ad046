"""Environment ids -> TF-Agents environments: `ALE/<Game>-v5` and `gridworld:<layout>`.

Options of each family (sticky actions, frameskip, slip, observation, ...) are gin parameters
of `atari.AtariEnvironment` and `gridworld.GridworldEnv`, not of `load_environment`.
"""
import ale_py
import gin
import gymnasium

from tf_empowerment.envs import atari
from tf_empowerment.envs import gridworld
from tf_empowerment.envs import gym_adapter
from tf_empowerment.envs import montezuma

gymnasium.register_envs(ale_py)

GRIDWORLD_PREFIX = "gridworld:"
# Games whose metrics come from RAM: they run on the per-game ALE path with this wrapper.
_RAM_WRAPPERS = {montezuma.GAME: montezuma.MontezumaInfo}


@gin.configurable
def load_environment(env_id, num_envs=1, seed=0):
  """A TF-Agents PyEnvironment for `env_id`, with `frames_per_step` and `episode_metrics()`.

  Atari environments are always batched ([num_envs, ...], also for num_envs = 1); gridworlds
  are batched when num_envs > 1. Sub-env i is seeded with `seed + i`.
  """
  if num_envs < 1:
    raise ValueError(f"num_envs must be >= 1, got {num_envs}")
  if env_id.startswith(GRIDWORLD_PREFIX):
    return _gridworld(env_id[len(GRIDWORLD_PREFIX):], num_envs, seed)
  if env_id.startswith("ALE/") and env_id.endswith("-v5") and env_id in gymnasium.registry:
    game = gymnasium.registry[env_id].kwargs["game"]
    return atari.AtariEnvironment(game, num_envs=num_envs, seed=seed,
                                  wrapper=_RAM_WRAPPERS.get(game))
  raise ValueError(f"unknown environment id {env_id!r}: expected a registered 'ALE/<Game>-v5' "
                   f"id or '{GRIDWORLD_PREFIX}<layout>' with a layout file or one of "
                   f"{', '.join(gridworld.bundled_layouts())}")


def _gridworld(layout_name, num_envs, seed):
  layout = gridworld.GridLayout.load(layout_name)
  info_keys = gridworld.GridworldEnv.episode_info_keys
  if num_envs == 1:
    return gym_adapter.GymEnvironment(gridworld.GridworldEnv(layout), seed=seed,
                                      episode_info_keys=info_keys)
  envs = gym_adapter.make_vector_env([lambda: gridworld.GridworldEnv(layout)] * num_envs)
  return gym_adapter.BatchedGymEnvironment(envs, seed=seed, episode_info_keys=info_keys)
