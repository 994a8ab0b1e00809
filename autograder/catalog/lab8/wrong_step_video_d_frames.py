"""The video discriminator given single frames in the G step (sample_frames where sample_clips belongs): D_V must
see clips (the issue's list)."""
EXERCISE = "mocogan_step"
EXPECT = "video discriminator was given single frames"
EDIT = [("    loss_g_video = bce(D_video(sample_clips(fake, length)), 1.0)",
         "    loss_g_video = bce(D_video(sample_frames(fake)), 1.0)")]
