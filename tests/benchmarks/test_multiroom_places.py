"""multiroom_places: exact empowerment of MultiRoom's places against values counted by hand."""
import math

from absl.testing import absltest
import numpy as np

from tf_empowerment.benchmarks import multiroom_places

ENV_ID = "MiniGrid-MultiRoom-N4-S5-v1"


class EmpowermentByPlaceTest(absltest.TestCase):

  def test_an_open_door_cell_reads_the_mean_of_log_4_and_log_3(self):
    # On a door cell the agent faces floor twice (turn left, turn right, stay, forward: 4
    # states) and wall twice (3 states); on a closed door it cannot stand at all.
    opened = multiroom_places.empowerment_by_place(ENV_ID, [0, 1], 1, doors_open=True)
    np.testing.assert_allclose(opened["door cell"], (math.log(4) + math.log(3)) / 2)
    self.assertLen(opened["door cell"], 6)  # 4 rooms joined by 3 doors, 2 layouts
    closed = multiroom_places.empowerment_by_place(ENV_ID, [0, 1], 1, doors_open=False)
    self.assertNotIn("door cell", closed)
    self.assertEqual(len(closed["beside a door"]), len(opened["beside a door"]))

  def test_table_lists_each_place(self):
    values = {"door cell": [1.0, 2.0], "room floor": [3.0]}
    table = multiroom_places.places_table([("open", 3, values)])
    self.assertIn("| open | 3 | door cell | 2 | 1.500 | 1.000 | 2.000 |", table)
    self.assertIn("| open | 3 | room floor | 1 | 3.000 | 3.000 | 3.000 |", table)


if __name__ == "__main__":
  absltest.main()
