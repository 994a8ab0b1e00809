"""The identity weight not scaled by lambda: lambda_idt used as an absolute weight (0.5 instead of 0.5 * 10 = 5), as
in Shaofanl/CycleGAN-keras issue #3 ("I think the weight of identity loss should be opt.idloss*opt.lmbd") and the
confusion in LynnHo/CycleGAN-Tensorflow-2 issue #25 ("should the identity loss weight parameter be 0.5 or 5?")."""
EXERCISE = "identity_loss"
EXPECT = "not scaled by lambda"
EDIT = [("weight = lambda_cyc * lambda_idt", "weight = lambda_idt")]
