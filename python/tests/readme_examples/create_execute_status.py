import asyncio
from harmonia.client import get_harmonia_client

async def main():
    # Get Harmonia client
    client = await get_harmonia_client()

    # Create a workflow
    workflow = await client.create_workflow(
        name="example_workflow",
        description="Example workflow",
        tasks=[
            {
                "name": "task1",
                "component": "ergon",
                "action": "execute_command",
                "input": {"command": "echo Hello World"}
            },
            {
                "name": "task2",
                "component": "prometheus",
                "action": "analyze_results",
                "input": {"data": "${tasks.task1.output.result}"},
                "depends_on": ["task1"]
            }
        ]
    )

    # Execute the workflow
    execution = await client.execute_workflow(
        workflow_id=workflow["workflow_id"]
    )

    # Get workflow status
    status = await client.get_workflow_status(
        execution_id=execution["execution_id"]
    )

    print(f"Workflow status: {status['status']}")

if __name__ == "__main__":
    asyncio.run(main())
