"""Imports every module that registers gin configurables, so any gin file can name them."""
# pylint: disable=unused-import
from tf_empowerment.agents import dqn
from tf_empowerment.benchmarks import exploration_counters
from tf_empowerment.empowerment import mine
from tf_empowerment.empowerment import variational
from tf_empowerment.envs import atari
from tf_empowerment.envs import gridworld
from tf_empowerment.envs import minigrid
from tf_empowerment.envs import suite
from tf_empowerment.networks import encoder
from tf_empowerment.networks import q_networks
from tf_empowerment.observations import normaliser
from tf_empowerment.observations import pipeline
from tf_empowerment.replay import buffers
from tf_empowerment.replay import frame_stack
from tf_empowerment.rewards import combined
from tf_empowerment.rewards import constant
from tf_empowerment.rewards import counts
from tf_empowerment.rewards import curiosity
from tf_empowerment.rewards import empowerment_reward
from tf_empowerment.rewards import normalisation
from tf_empowerment.rewards import paper_mine
from tf_empowerment.rewards import rnd
from tf_empowerment.rewards import sim_hash
from tf_empowerment.train import config
from tf_empowerment.train import learner
from tf_empowerment.train import runner
