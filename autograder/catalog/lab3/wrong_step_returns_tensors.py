"""Training step returning the loss tensors instead of Python floats (the graph stays alive with them, and
logging code that sums them keeps every step's graph): seen in many DCGAN loops that `return errD, errG`."""
EXERCISE = "train_step"
EXPECT = "Python float"
EDIT = [("return d_loss.item(), g_loss.item()", "return d_loss, g_loss")]
