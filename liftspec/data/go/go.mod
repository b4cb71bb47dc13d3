module liftspec.local/lift

go 1.19
