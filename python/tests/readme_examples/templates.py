import asyncio
from harmonia.client import get_harmonia_client

async def main():
    client = await get_harmonia_client()

    # Create a template from an existing workflow
    template = await client.create_template(
        name="process_data_template",
        workflow_definition_id="workflow-uuid-here",
        parameters={
            "input_file": {
                "type": "string",
                "required": True,
                "description": "Input file path"
            },
            "output_format": {
                "type": "string",
                "required": False,
                "default": "json",
                "description": "Output format"
            }
        }
    )

    # Instantiate the template
    workflow = await client.instantiate_template(
        template_id=template["template_id"],
        parameter_values={
            "input_file": "/path/to/data.csv",
            "output_format": "xml"
        }
    )

    # Execute the instantiated workflow
    await client.execute_workflow(workflow_id=workflow["workflow_id"])

if __name__ == "__main__":
    asyncio.run(main())
