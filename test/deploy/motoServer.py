"""moto's server with two changes to its CloudFormation, so `serverless deploy` runs as on AWS.

1. ValidateTemplate relaxed to cfn-lint's errors. Stock moto fails it on any cfn-lint finding,
   warnings and informational ones included; AWS's ValidateTemplate does not lint at all.
   `serverless deploy` calls it before every stack update, so a warning the project judged
   harmless (listed in test/deploy/cfnLintAllowed.json) would stop the deploy.
2. Fn::ImportValue in stacks made by a change set. Stock moto gives such a stack (serverless
   deploys through change sets) an empty list of exports, and any import fails with "No export
   named ...". It also drops the region's exports when they are still empty at creation.
   Here every stack reads the region's exports, as on AWS.
3. Ref to an AWS::Events::EventBus. moto 5.2's EventBus model has no physical_resource_id, so
   its CloudFormation resolves `Ref` to the Python object itself instead of the bus's name (AWS's
   Ref value), and lists the resource with no physical id. A function whose environment holds
   that Ref (the reactions' INTEGRATION_BUS_NAME) then breaks GetFunction and
   GetFunctionConfiguration (a 500 HTML page: the object is not JSON), which also makes
   `serverless deploy` miss "No changes to deploy" and go through an empty change set.

Usage: python3 motoServer.py PORT
"""
import sys

try:
    import moto.cloudformation.models as cfn_models
    import moto.events.models as events_models
    from moto.server import main
except ImportError:
    sys.stderr.write("moto is missing: pip install 'moto[server,cloudformation]==5.2.1' cfn-lint==1.51.0\n")
    sys.exit(3)

_lint = cfn_models.validate_template_cfn_lint


def _errors_only(template):
    # cfn-lint rule ids: E… errors, W… warnings, I… informational.
    return [match for match in _lint(template) if match.rule.id.startswith("E")]


cfn_models.validate_template_cfn_lint = _errors_only

_stack_init = cfn_models.Stack.__init__


def _stack_reading_region_exports(self, *args, **kwargs):
    _stack_init(self, *args, **kwargs)
    exports = cfn_models.cloudformation_backends[self.account_id][self.region_name].exports
    self.cross_stack_resources = exports
    self.resource_map.cross_stack_resources = exports


cfn_models.Stack.__init__ = _stack_reading_region_exports

if not hasattr(events_models.EventBus, "physical_resource_id"):
    # AWS: "When you pass the logical ID of this resource to the intrinsic Ref function, Ref
    # returns the name of the event bus." Only added where moto has none, so a fixed moto wins.
    events_models.EventBus.physical_resource_id = property(lambda self: self.name)

if __name__ == "__main__":
    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
