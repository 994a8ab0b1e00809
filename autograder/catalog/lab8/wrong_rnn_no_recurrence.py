"""Each GRU step restarts from h0: motion codes from independent noise with no recurrence (the issue's list), a
common slip when a cell is applied per step, so the trajectory has no memory and motion jitters."""
EXERCISE = "MotionRNN"
EXPECT = "no recurrence"
EDIT = [("            h = self.cell(eps[:, t], h)", "            h = self.cell(eps[:, t], h0)")]
