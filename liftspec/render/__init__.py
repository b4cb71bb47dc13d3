"""render: SAM template, CloudFormation, the runtime config module and the runtime layer."""
