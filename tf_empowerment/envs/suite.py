"""Environment ids -> TF-Agents environments: `ALE/<Game>-v5`, `gridworld:<layout>`,
`deep_sea:<size>` and registered `MiniGrid-*` ids.

Options of each family (sticky actions, frameskip, slip, observation, mapping seed, ...) are gin
parameters of `atari.AtariEnvironment`, `gridworld.GridworldEnv`, `deep_sea.DeepSeaEnv` and
`minigrid.MiniGridEnv`, not of `load_environment`.
"""
import ale_py
import gin
import gymnasium

from tf_empowerment.envs import atari
from tf_empowerment.envs import deep_sea
from tf_empowerment.envs import gridworld
from tf_empowerment.envs import gym_adapter
from tf_empowerment.envs import minigrid
from tf_empowerment.envs import montezuma

gymnasium.register_envs(ale_py)

GRIDWORLD_PREFIX = "gridworld:"
DEEP_SEA_PREFIX = "deep_sea:"
# Games whose metrics come from RAM: they run on the per-game ALE path with this wrapper.
_RAM_WRAPPERS = {montezuma.GAME: montezuma.MontezumaInfo}


@gin.configurable
def load_environment(env_id, num_envs=1, seed=0, gym_wrappers=()):
  """A TF-Agents PyEnvironment for `env_id`, with `frames_per_step` and `episode_metrics()`.

  Atari environments are always batched ([num_envs, ...], also for num_envs = 1); gridworld,
  DeepSea and MiniGrid envs are batched when num_envs > 1. Sub-env i is seeded with `seed + i`.
  `gym_wrappers` (callables env -> wrapped env, innermost first: gymnasium.Wrapper classes or,
  e.g., a benchmark's ExplorationCounters instance) wrap each gridworld, DeepSea or MiniGrid
  env; their `episode_info_keys` join the env's in `episode_metrics()`.
  """
  if num_envs < 1:
    raise ValueError(f"num_envs must be >= 1, got {num_envs}")
  if env_id.startswith(GRIDWORLD_PREFIX):
    return _gridworld(env_id[len(GRIDWORLD_PREFIX):], num_envs, seed, gym_wrappers)
  if env_id.startswith(DEEP_SEA_PREFIX):
    return _deep_sea(env_id[len(DEEP_SEA_PREFIX):], num_envs, seed, gym_wrappers)
  if minigrid.is_minigrid_id(env_id):
    return _gym_environment(lambda: minigrid.MiniGridEnv(env_id),
                            minigrid.MiniGridEnv.episode_info_keys, num_envs, seed, gym_wrappers)
  if env_id.startswith("ALE/") and env_id.endswith("-v5") and env_id in gymnasium.registry:
    if gym_wrappers:
      raise ValueError(f"load_environment.gym_wrappers wrap gridworld, deep_sea and MiniGrid "
                       f"envs only, not {env_id!r}")
    game = gymnasium.registry[env_id].kwargs["game"]
    return atari.AtariEnvironment(game, num_envs=num_envs, seed=seed,
                                  wrapper=_RAM_WRAPPERS.get(game))
  raise ValueError(f"unknown environment id {env_id!r}: expected a registered 'ALE/<Game>-v5' "
                   f"or '{minigrid.PREFIX}<Task>' id (e.g. MiniGrid-DoorKey-8x8-v0), "
                   f"'{DEEP_SEA_PREFIX}<size>' or '{GRIDWORLD_PREFIX}<layout>' with a "
                   f"layout file or one of {', '.join(gridworld.bundled_layouts())}")


def _gridworld(layout_name, num_envs, seed, gym_wrappers):
  layout = gridworld.GridLayout.load(layout_name)
  return _gym_environment(lambda: gridworld.GridworldEnv(layout),
                          gridworld.GridworldEnv.episode_info_keys, num_envs, seed, gym_wrappers)


def _deep_sea(size, num_envs, seed, gym_wrappers):
  if not size.isdigit():
    raise ValueError(f"deep_sea size must be a positive integer, got {size!r}")
  return _gym_environment(lambda: deep_sea.DeepSeaEnv(int(size)),
                          deep_sea.DeepSeaEnv.episode_info_keys, num_envs, seed, gym_wrappers)


def _gym_environment(make_env, episode_info_keys, num_envs, seed, gym_wrappers):
  """`make_env()` in `gym_wrappers`, unbatched when num_envs = 1, else num_envs copies in a
  vector env."""
  def make_wrapped_env():
    env = make_env()
    for wrapper in gym_wrappers:
      env = wrapper(env)
    return env

  episode_info_keys = tuple(episode_info_keys) + tuple(
      key for wrapper in gym_wrappers for key in wrapper.episode_info_keys)
  if num_envs == 1:
    return gym_adapter.GymEnvironment(make_wrapped_env(), seed=seed,
                                      episode_info_keys=episode_info_keys)
  envs = gym_adapter.make_vector_env([make_wrapped_env] * num_envs)
  return gym_adapter.BatchedGymEnvironment(envs, seed=seed, episode_info_keys=episode_info_keys)
