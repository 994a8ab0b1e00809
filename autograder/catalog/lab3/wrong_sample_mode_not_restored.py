"""Sampling in evaluation mode that leaves the generator there: training then continues with running statistics."""
EXERCISE = "sample"
EXPECT = "restore"
EDIT = [("        generator.train(was_training)\n", "        pass\n")]
