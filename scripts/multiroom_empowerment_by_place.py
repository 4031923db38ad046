"""Exact n-step empowerment of MultiRoom's door cells, the cells beside a door and the rest of
the floor, by simulation (benchmarks.multiroom_places); prints a markdown table.

  python scripts/multiroom_empowerment_by_place.py --seeds=20 --n_steps=1,3
"""
from absl import app
from absl import flags

from tf_empowerment.benchmarks import multiroom_places

flags.DEFINE_string("env_id", "MiniGrid-MultiRoom-N4-S5-v1", "A MiniGrid MultiRoom id.")
flags.DEFINE_integer("seeds", 20, "Layouts: the resets of seeds 0 .. seeds - 1.")
flags.DEFINE_list("n_steps", ["1", "3"], "Empowerment horizons.")
FLAGS = flags.FLAGS


def main(argv):
  del argv
  rows = [(doors, int(n_steps), multiroom_places.empowerment_by_place(
              FLAGS.env_id, range(FLAGS.seeds), int(n_steps), doors_open=doors == "open"))
          for doors in ("closed", "open") for n_steps in FLAGS.n_steps]
  print(multiroom_places.places_table(rows))


if __name__ == "__main__":
  app.run(main)
